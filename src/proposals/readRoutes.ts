import { z } from 'zod';
import { participantOf } from '../dialogue/participant';
import { requireGroup, seesMembersContent } from '../dialogue/visibility';
import { Forbidden, NotFound } from '../errors';
import { etag, notModified } from '../http/command';
import { decodeCursor, encodeCursor, invalidCursor } from '../http/cursor';
import { History, StreamPageQuery, streamHistory } from '../http/history';
import { readWithin } from '../http/limits';
import { problems } from '../http/openapi';
import { GroupParams, PageLimit, Text, Title } from '../http/schemas';
import { ProposalStatus, proposalStream, Visibility } from './events';
import type { CommentPosition } from './queries';
import type { SearchHit } from './search/pgSearch';
import { ProposalParams, type ProposalRouteContext } from './routeContext';
import { CommentPage, ProposalPage, ProposalView, SimilarPreview } from './views';

/** The proposal reads: the similar preview, a group's list, a proposal, its history and its comments. */
export function readRoutes(context: ProposalRouteContext): void {
  previewSimilarRoute(context);
  listRoute(context);
  getRoute(context);
  historyRoute(context);
  commentsRoute(context);
}

/** GET /groups/:groupId/proposals/similar: what a submission would list as similar, recording nothing. */
function previewSimilarRoute({ app, directory, similarTo }: ProposalRouteContext) {
  app.get('/groups/:groupId/proposals/similar', {
    schema: {
      tags: ['proposals'],
      operationId: 'previewSimilarProposals',
      summary: 'The similar proposals a submission of this title and body would list, recording nothing',
      description:
        'Answers the `similar` list, with the same scores, that the 201 of `submitProposal` with this title, body and visibility would hold if it were submitted now by the caller. Nothing is recorded. `members` needs a caller that sees members-only content (403 for an observer entity). The text travels in the query string: a request line over 16 KiB (a long body, URL-encoded) is refused by the HTTP parser with 431.',
      params: GroupParams,
      querystring: z.strictObject({
        title: Title(200),
        body: Text(20_000),
        visibility: Visibility.default('dialogue'),
      }),
      response: { 200: SimilarPreview, ...problems(403, 404) },
    },
    handler: async (request) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const { title, body, visibility } = request.query;
      if (visibility === 'members' && !seesMembersContent(request.actor)) {
        throw new Forbidden(
          `${request.actor.entityId ?? request.actor.role} is an observer entity: it neither sees nor submits members-only proposals`,
        );
      }
      const who = participantOf(directory, request.actor, request.viewGeneration);
      return { similar: await similarTo(who, { groupId, visibility, title, body }) };
    },
  });
}

/** GET /groups/:groupId/proposals: a group's proposals, newest first, filtered or searched. */
function listRoute({ app, directory, queries, search, pgSearch, Pillar }: ProposalRouteContext) {
  app.get('/groups/:groupId/proposals', {
    schema: {
      tags: ['proposals'],
      operationId: 'listProposals',
      summary: "List a group's proposals, newest first, filtered or searched",
      params: GroupParams,
      querystring: z.strictObject({
        status: ProposalStatus.optional(),
        pillar: Pillar.optional(),
        q: z.string().max(500).optional().describe('full-text search over titles, bodies and comments, ranked'),
        limit: PageLimit,
        cursor: z.string().max(200).optional(),
      }),
      response: { 200: ProposalPage, ...problems(403, 404) },
    },
    handler: async (request) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const { limit, cursor, ...filters } = request.query;
      const position = decodeListPosition(cursor, filters.q !== undefined);
      const includeMembers = seesMembersContent(request.actor);
      let hits: SearchHit[] | undefined;
      if (filters.q !== undefined && pgSearch)
        hits = await pgSearch.hits(filters.q, { groups: [groupId], includeMembers });
      else if (filters.q !== undefined) search.catchUpIfPossible();
      const page = queries.list({
        groupId,
        includeMembers,
        ...filters,
        hits,
        limit: limit + 1,
        ...position,
      });
      const items = page.items.slice(0, limit);
      const more = page.items.length > limit;
      const lastSeq = page.seq[limit - 1];
      const nextCursor = !more
        ? null
        : filters.q !== undefined
          ? encodeCursor({ offset: (position.offset ?? 0) + limit })
          : encodeCursor({ before: lastSeq ?? 0 });
      return { items, nextCursor };
    },
  });
}

/** GET /proposals/:id: the whole view, with its ETag. */
function getRoute({ app, queries, requireVisible }: ProposalRouteContext) {
  app.get('/proposals/:id', {
    config: { etag: true },
    schema: {
      tags: ['proposals'],
      operationId: 'getProposal',
      summary: 'Read a proposal: text, endorsements, objections, newest comments, action items, decision',
      params: ProposalParams,
      response: {
        200: ProposalView,
        304: z.null().describe('Not Modified: the ETag sent is current'),
        ...problems(404),
      },
    },
    handler: async (request, reply) => {
      requireVisible(request.actor, request.params.id);
      const view = queries.view(request.params.id);
      if (!view) throw new NotFound(`no proposal '${request.params.id}'`);
      const tag = etag(view.version);
      reply.header('etag', tag);
      if (request.headers['if-none-match'] === tag) return notModified(reply);
      return view;
    },
  });
}

/** GET /proposals/:id/history: a page of the proposal's events. */
function historyRoute({ app, store, requireVisible }: ProposalRouteContext) {
  app.get('/proposals/:id/history', {
    schema: {
      tags: ['proposals'],
      operationId: 'getProposalHistory',
      summary: "Page a proposal's events",
      params: ProposalParams,
      querystring: StreamPageQuery,
      response: { 200: History, ...problems(404) },
    },
    handler: async (request) => {
      requireVisible(request.actor, request.params.id);
      return streamHistory(store, proposalStream(request.params.id), request.query);
    },
  });
}

/** GET /proposals/:id/comments: a page of comments, in thread order or newest first. */
function commentsRoute({ app, queries, requireVisible }: ProposalRouteContext) {
  app.get('/proposals/:id/comments', {
    schema: {
      tags: ['proposals'],
      operationId: 'listComments',
      summary: "Page a proposal's comments, in thread order or newest first",
      params: ProposalParams,
      querystring: z.strictObject({
        order: z.enum(['oldest', 'newest']).default('oldest').describe('thread order, or newest first'),
        limit: PageLimit,
        cursor: z.string().max(200).optional(),
      }),
      response: { 200: CommentPage, ...problems(404) },
    },
    handler: async (request) => {
      const { id } = request.params;
      requireVisible(request.actor, id);
      const { order, limit, cursor } = request.query;
      const from = decodeCommentPosition(cursor, order);
      const key = 'after' in from ? from.after : from.before;
      const read = (at: number, count: number) =>
        queries.commentPage(id, 'after' in from ? { after: at } : { before: at }, count);
      const page = readWithin(read, (row) => row.version, key, limit);
      const last = page.items.at(-1)?.version;
      const nextCursor =
        page.more && last !== undefined ? encodeCursor(order === 'oldest' ? { after: last } : { before: last }) : null;
      return { items: page.items.map((row) => row.comment), nextCursor };
    },
  });
}

/** Where a list page starts: before a submission (newest first) or at an offset into search results. */
type ListPosition = { before?: number; offset?: number };

const Cursor = z.union([
  z.strictObject({ before: z.number().int().positive() }),
  z.strictObject({ offset: z.number().int().min(0).max(100_000) }),
]);

const CommentCursor = z.union([
  z.strictObject({ after: z.number().int().min(0) }),
  z.strictObject({ before: z.number().int().min(1) }),
]);

/** Where a page of comments starts: the cursor of the previous page, or the thread's start (or end, newest first). */
function decodeCommentPosition(cursor: string | undefined, order: 'oldest' | 'newest'): CommentPosition {
  if (cursor === undefined) return order === 'oldest' ? { after: 0 } : { before: Number.MAX_SAFE_INTEGER };
  const position = decodeCursor(cursor, CommentCursor);
  // A cursor only continues a list in the order that produced it.
  if ((order === 'oldest') !== 'after' in position) throw invalidCursor();
  return position;
}

function decodeListPosition(cursor: string | undefined, searching: boolean): ListPosition {
  if (cursor === undefined) return {};
  const position = decodeCursor(cursor, Cursor);
  // A cursor only continues the kind of list that produced it.
  if (searching !== 'offset' in position) {
    throw invalidCursor();
  }
  return position;
}
