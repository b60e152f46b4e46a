import { z } from 'zod';
import { BadRequest, NotFound } from '../../errors';
import { etag, notModified } from '../../http/command';
import { StreamPageQuery } from '../../http/history';
import { problems } from '../../http/openapi';
import { paragraphDiff } from './diff';
import { type DeclarationRouteContext, EditionParams } from './routeContext';
import { DeclarationDiff, DeclarationHistory, DeclarationView } from './views';

const tags = ['declarations'];
const Revision = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The declaration, its changes, and the difference between two of its revisions. */
export function readRoutes({ app, runtime, readDeclaration, sourceFor }: DeclarationRouteContext): void {
  app.get('/editions/:id/declaration', {
    config: { etag: true },
    schema: {
      tags,
      operationId: 'getDeclaration',
      summary: "Read the edition's declaration: its paragraphs, status, silence procedure and adoption",
      params: EditionParams,
      response: {
        200: DeclarationView,
        304: z.null().describe('Not Modified: the ETag sent is current'),
        ...problems(404),
      },
    },
    handler: async (request, reply) => {
      const { editionTitle, ...view } = readDeclaration(request, request.params.id);
      const tag = etag(view.version);
      reply.header('etag', tag);
      if (request.headers['if-none-match'] === tag) return notModified(reply);
      return view;
    },
  });

  app.get('/editions/:id/declaration/history', {
    schema: {
      tags,
      operationId: 'getDeclarationHistory',
      summary: "Page the declaration's changes: each with its actor, the revision after it, time and position",
      params: EditionParams,
      querystring: StreamPageQuery,
      response: { 200: DeclarationHistory, ...problems(404) },
    },
    handler: async (request) => {
      const editionId = request.params.id;
      if (!runtime.declarations.view(editionId)) throw new NotFound(`edition '${editionId}' has no declaration`);
      const history = runtime.declarations.history(editionId, request.query.after, request.query.limit);
      // A draft's step names its paragraphs' sources: the same rule as the declaration's view.
      const changes = history.changes.map((change) => {
        const { paragraphs } = change.detail;
        if (!Array.isArray(paragraphs)) return change;
        const seen = paragraphs.map((paragraph: { sourceProposalId?: string | null }) => ({
          ...paragraph,
          sourceProposalId: sourceFor(request, paragraph.sourceProposalId ?? null),
        }));
        return { ...change, detail: { ...change.detail, paragraphs: seen } };
      });
      return { ...history, changes };
    },
  });

  app.get('/editions/:id/declaration/diff', {
    schema: {
      tags,
      operationId: 'diffDeclarationRevisions',
      summary: 'The difference between two revisions of the text, paragraph by paragraph and word by word',
      params: EditionParams,
      querystring: z.strictObject({ from: Revision, to: Revision }),
      response: { 200: DeclarationDiff, ...problems(404) },
    },
    handler: async (request) => {
      const editionId = request.params.id;
      const { from, to } = request.query;
      const declarations = runtime.declarations;
      if (!declarations.view(editionId)) throw new NotFound(`edition '${editionId}' has no declaration`);
      const before = declarations.revisionText(editionId, from);
      const after = declarations.revisionText(editionId, to);
      const missing = [before ? null : ['query.from', from], after ? null : ['query.to', to]].flatMap((entry) =>
        entry ? [{ path: String(entry[0]), message: `no revision ${entry[1]}` }] : [],
      );
      if (!before || !after) throw new BadRequest('no such revision of the declaration', missing);
      return { from, to, paragraphs: paragraphDiff(before, after) };
    },
  });
}
