import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mayFind, requireGroup, seesMembersContent } from '../dialogue/visibility';
import { NotFound } from '../errors';
import { etag } from '../http/command';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { History, StreamPageQuery, streamHistory } from '../http/history';
import { readWithin } from '../http/limits';
import { problems } from '../http/openapi';
import { GroupParams, Id, PageLimit } from '../http/schemas';
import type { Runtime } from '../runtime';
import { actionItemsCsv } from './csv';
import { actionItemStream } from './events';
import type { ActionItemKey } from './list';
import { utcDay } from './queries';
import { ActionItemPage, ActionItemView, Dashboard, StatusFilter } from './views';

export const ItemParams = z.strictObject({ id: Id });
const ListQuery = z.strictObject({
  status: StatusFilter.optional(),
  owner: Id.optional(),
  proposal: Id.optional().describe('only the items that implement this proposal'),
  limit: PageLimit,
  cursor: z.string().max(200).optional(),
});
const Cursor = z.strictObject({ dueDate: z.string().max(10), seq: z.number().int().positive() });

/** The reads of action items: a group's list, its CSV and dashboard, an item and its history. */
export function readRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const today = () => utcDay(runtime.clock());
  listRoute(parent, runtime, today);
  csvRoute(parent, runtime, today);
  dashboardRoute(parent, runtime, today);
  itemRoutes(parent, runtime, today);
}

/** A group's action items, a page at a time. */
function listRoute(parent: FastifyInstance, runtime: Runtime, today: () => string): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory, actionItems: queries } = runtime;
  app.get('/groups/:groupId/action-items', {
    schema: {
      tags: ['action items'],
      operationId: 'listActionItems',
      summary: "List a group's action items, filtered",
      params: GroupParams,
      querystring: ListQuery,
      response: { 200: ActionItemPage, ...problems(403, 404) },
    },
    handler: async (request) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const { limit, cursor, ...filters } = request.query;
      const includeMembers = seesMembersContent(request.actor);
      const start = cursor === undefined ? undefined : decodeCursor(cursor, Cursor);
      const read = (after: ActionItemKey | undefined, count: number) =>
        queries.page({ groupId, today: today(), includeMembers, ...filters, limit: count, after });
      const page = readWithin(read, (item) => ({ dueDate: item.dueDate, seq: item.seq }), start, limit);
      const last = page.items.at(-1);
      return {
        items: page.items.map(({ seq, ...view }) => view),
        nextCursor: page.more && last ? encodeCursor({ dueDate: last.dueDate, seq: last.seq }) : null,
      };
    },
  });
}

/** The meeting pack's CSV of a group's action items. */
function csvRoute(parent: FastifyInstance, runtime: Runtime, today: () => string): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory, actionItems: queries } = runtime;
  app.get('/groups/:groupId/action-items.csv', {
    schema: {
      tags: ['action items'],
      operationId: 'exportActionItemsCsv',
      summary: "Download a group's action items as CSV (the meeting pack)",
      params: GroupParams,
      querystring: ListQuery.omit({ limit: true, cursor: true }),
      produces: ['text/csv'],
      response: {
        200: z.string().describe('RFC 4180 CSV, one line per action item, header first'),
        ...problems(403, 404),
      },
    },
    handler: async (request, reply) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const includeMembers = seesMembersContent(request.actor);
      const items = queries.summaries({ groupId, today: today(), includeMembers, ...request.query });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${groupId}-action-items.csv"`)
        .send(actionItemsCsv(items));
    },
  });
}

function dashboardRoute(parent: FastifyInstance, runtime: Runtime, today: () => string): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory, actionItems: queries } = runtime;
  app.get('/groups/:groupId/dashboard', {
    schema: {
      tags: ['action items'],
      operationId: 'getDashboard',
      summary: "A group's dashboard: action items by status, overdue, due soon",
      params: GroupParams,
      response: { 200: Dashboard, ...problems(403, 404) },
    },
    handler: async (request) => {
      requireGroup(directory, request.actor, request.params.groupId);
      return queries.dashboard(request.params.groupId, today(), seesMembersContent(request.actor));
    },
  });
}

/** One item: its view and its history. */
function itemRoutes(parent: FastifyInstance, runtime: Runtime, today: () => string): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store, directory, actionItems: queries } = runtime;

  /** A 404 unless the caller may see the item, decided before its view is read (see the proposal routes). */
  const requireVisible = (request: FastifyRequest, id: string) => {
    const facts = queries.facts(id);
    if (!mayFind(directory, request.actor, facts)) throw new NotFound(`no action item '${id}'`);
  };

  app.get('/action-items/:id', {
    config: { etag: true },
    schema: {
      tags: ['action items'],
      operationId: 'getActionItem',
      summary: 'Read an action item with its latest steps',
      params: ItemParams,
      response: { 200: ActionItemView, ...problems(404) },
    },
    handler: async (request, reply) => {
      requireVisible(request, request.params.id);
      const view = queries.view(request.params.id, today());
      if (!view) throw new NotFound(`no action item '${request.params.id}'`);
      reply.header('etag', etag(view.version));
      return view;
    },
  });

  app.get('/action-items/:id/history', {
    schema: {
      tags: ['action items'],
      operationId: 'getActionItemHistory',
      summary: "Page an action item's events",
      params: ItemParams,
      querystring: StreamPageQuery,
      response: { 200: History, ...problems(404) },
    },
    handler: async (request) => {
      requireVisible(request, request.params.id);
      return streamHistory(store, actionItemStream(request.params.id), request.query);
    },
  });
}
