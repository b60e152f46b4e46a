import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { utcDay } from '../actionItems/queries';
import type { Actor } from '../dialogue/actor';
import { canSee } from '../dialogue/visibility';
import { NotFound } from '../errors';
import { etag, notModified } from '../http/command';
import { problems } from '../http/openapi';
import { Id } from '../http/schemas';
import type { Runtime } from '../runtime';
import type { EditionRecord } from './queries';
import { editionView } from './editionView';
import { editionReport } from './report';
import { reportMarkdown } from './reportMarkdown';
import { EditionList, EditionReport, EditionView } from './views';

export const EditionParams = z.strictObject({ id: Id });

/** The reads of editions (any token): the list, one edition, and its report as JSON and as Markdown. */
export function readRoutes(parent: FastifyInstance, runtime: Runtime): void {
  listRoute(parent, runtime);
  itemRoute(parent, runtime);
  reportRoutes(parent, runtime);
}

function listRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get('/editions', {
    schema: {
      tags: ['editions'],
      operationId: 'listEditions',
      summary: 'List the editions, newest first',
      response: { 200: EditionList },
    },
    handler: async () => ({ items: runtime.editions.list() }),
  });
}

/** The edition as one reader sees it. */
function viewFor(runtime: Runtime, actor: Actor, record: EditionRecord): EditionView {
  const members = runtime.directory.entities().filter((entity) => entity.kind === 'member').length;
  return editionView(record, members, (item) => canSee(runtime.directory, actor, item));
}

function itemRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get('/editions/:id', {
    config: { etag: true },
    schema: {
      tags: ['editions'],
      operationId: 'getEdition',
      summary: 'Read an edition: its agenda, attendance with quorum, and its declaration status',
      params: EditionParams,
      response: {
        200: EditionView,
        304: z.null().describe('Not Modified: the ETag sent is current'),
        ...problems(404),
      },
    },
    handler: async (request, reply) => {
      const record = runtime.editions.record(request.params.id);
      if (!record) throw new NotFound(`no edition '${request.params.id}'`);
      const tag = etag(record.version);
      reply.header('etag', tag);
      // The agenda shows its proposals' titles and statuses, which change without moving the edition's
      // version: a 304 only while none of them changed since the edition's last event.
      const agendaSettled = record.agendaChangedAt === null || record.agendaChangedAt <= record.updatedAt;
      const view = viewFor(runtime, request.actor, record);
      // A change to a proposal the caller may not see must not show as a 200 after 304s: no 304 for it then.
      const seesWholeAgenda = view.agenda.length === record.agenda.length;
      if (request.headers['if-none-match'] === tag && agendaSettled && seesWholeAgenda) return notModified(reply);
      return view;
    },
  });
}

function reportRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const reportOf = (id: string, actor: Actor) => {
    const edition = runtime.editions.summary(id);
    if (!edition) throw new NotFound(`no edition '${id}'`);
    const sees = (item: Parameters<typeof canSee>[2]) => canSee(runtime.directory, actor, item);
    return editionReport(runtime.editions, edition, sees, utcDay(runtime.clock()));
  };

  app.get('/editions/:id/report', {
    schema: {
      tags: ['editions'],
      operationId: 'getEditionReport',
      summary: 'What was decided and opened since the previous edition, and what is carried over',
      params: EditionParams,
      response: { 200: EditionReport, ...problems(404) },
    },
    handler: async (request) => reportOf(request.params.id, request.actor),
  });

  app.get('/editions/:id/report.md', {
    schema: {
      tags: ['editions'],
      operationId: 'getEditionReportMarkdown',
      summary: 'The report as a Markdown document',
      params: EditionParams,
      produces: ['text/markdown'],
      response: { 200: z.string().describe('the report as Markdown (CommonMark)'), ...problems(404) },
    },
    handler: async (request, reply) => {
      const report = reportOf(request.params.id, request.actor);
      return reply.type('text/markdown; charset=utf-8').send(reportMarkdown(report));
    },
  });
}
