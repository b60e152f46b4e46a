import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { newId } from '../eventStore/eventId';
import { z } from 'zod';
import type { Actor } from '../dialogue/actor';
import { type Participant, participantOf } from '../dialogue/participant';
import { mayFind, requireGroup, seesMembersContent } from '../dialogue/visibility';
import { Forbidden, NotFound, PreconditionRequired } from '../errors';
import type { ClientExpectation } from '../commands/handler';
import { etag, expectation, notModified, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import { encodeCursor } from '../http/cursor';
import { History, StreamPageQuery, streamHistory } from '../http/history';
import { readWithin } from '../http/limits';
import { GroupParams, Id, optionalBody, PageLimit, Text, Title, Version, WriteResult } from '../http/schemas';
import type { Runtime } from '../runtime';
import { decodeCommentPosition, decodeListPosition } from './cursor';
import * as decide from './decide';
import { type ProposalEvent, ProposalStatus, proposalStream, Visibility } from './events';
import type { ProposalState } from './evolve';
import { commentPage, listProposals, loadProposalView, proposalFacts } from './queries';
import { ProposalParams, proposalAggregate } from './requests';
import { similarProposals } from './search';
import { CommentPage, ProposalPage, ProposalView, SimilarPreview, SimilarProposal } from './views';

/** Proposals and their deliberation: submit, revise, comment, endorse, object, withdraw, decide; lists and search. */
export async function proposalRoutes(
  parent: FastifyInstance,
  runtime: Runtime,
  pillars: readonly string[],
): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store, directory, search } = runtime;
  const sqlite = runtime.db.sqlite;
  const Pillar = z.string().refine((pillar) => pillars.includes(pillar), {
    message: `unknown pillar; allowed: ${pillars.join(', ')}`,
  });

  /** Runs one decision against a proposal's stream, honouring an optional If-Match. */
  const command = (
    request: FastifyRequest,
    id: string,
    statusCode: number,
    decision: (state: ProposalState, who: Participant) => ProposalEvent[],
    options: { expected?: ClientExpectation | undefined; body?: Record<string, unknown> } = {},
  ) => {
    const who = participantOf(directory, request.actor, request.viewGeneration);
    return runtime.commands.handle(writeContext(request), {
      streamId: proposalStream(id),
      decider: proposalAggregate,
      statusCode,
      decide: (state) => decision(state, who),
      expected: options.expected,
      ...(options.body ? { body: options.body } : {}),
    });
  };

  /** Where a proposal's author finds similar proposals: what it may see of every group it takes part in. */
  const similarScope = (who: Participant) => ({
    groups: [...who.groups],
    includeMembers: seesMembersContent(who.actor),
  });

  /**
   * A 404 unless the caller may see the proposal, decided from its group and visibility alone before any
   * of its view is read, so that a hidden proposal costs what a missing one does (no timing tells them apart).
   */
  const requireVisible = (actor: Actor, id: string) => {
    const facts = proposalFacts(sqlite, id);
    if (!mayFind(directory, actor, facts)) throw new NotFound(`no proposal '${id}'`);
  };

  app.post('/groups/:groupId/proposals', {
    config: { location: ({ id }) => `/proposals/${id}` },
    schema: {
      tags: ['proposals'],
      operationId: 'submitProposal',
      summary: 'Submit a proposal to a group; the answer lists similar proposals',
      params: GroupParams,
      body: z.strictObject({
        title: Title(200),
        body: Text(20_000),
        pillars: z
          .array(Pillar)
          .max(pillars.length)
          .refine((list) => new Set(list).size === list.length, 'pillars repeat')
          .default([]),
        visibility: Visibility.default('dialogue'),
      }),
      response: {
        201: WriteResult.extend({ id: z.string(), similar: z.array(SimilarProposal) }),
        ...problems(403, 404),
      },
    },
    handler: async (request, reply) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const proposalId = newId();
      const who = participantOf(directory, request.actor, request.viewGeneration);
      const { title, body, visibility } = request.body;
      // Before the append, as the preview route answers it: the new text scored in its table under the next
      // position, where its submission indexes it (nothing of the route runs inside the store's transaction).
      const similar = search.withProposal({ groupId, visibility, title, body }, (seq) =>
        similarProposals(sqlite, { seq, title, body }, similarScope(who)),
      );
      const response = await runtime.commands.handle(writeContext(request), {
        streamId: proposalStream(proposalId),
        decider: proposalAggregate,
        statusCode: 201,
        decide: (state) => decide.submitProposal(state, who, { proposalId, groupId, ...request.body }),
        // A new proposal's stream is at version 0: If-Match can only be W/"0" or *.
        expected: expectation(request, undefined),
        body: { id: proposalId, similar },
      });
      return sendResponse(reply, response);
    },
  });

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
      const scope = similarScope(participantOf(directory, request.actor, request.viewGeneration));
      return {
        similar: search.withProposal({ groupId, visibility, title, body }, (seq) =>
          similarProposals(sqlite, { seq, title, body }, scope),
        ),
      };
    },
  });

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
      if (filters.q !== undefined) search.catchUpIfPossible();
      const page = listProposals(sqlite, {
        groupId,
        includeMembers: seesMembersContent(request.actor),
        ...filters,
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
      const view = loadProposalView(sqlite, request.params.id);
      if (!view) throw new NotFound(`no proposal '${request.params.id}'`);
      const tag = etag(view.version);
      reply.header('etag', tag);
      if (request.headers['if-none-match'] === tag) return notModified(reply);
      return view;
    },
  });

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
        commentPage(sqlite, id, 'after' in from ? { after: at } : { before: at }, count);
      const page = readWithin(read, (row) => row.version, key, limit);
      const last = page.items.at(-1)?.version;
      const nextCursor =
        page.more && last !== undefined ? encodeCursor(order === 'oldest' ? { after: last } : { before: last }) : null;
      return { items: page.items.map((row) => row.comment), nextCursor };
    },
  });

  app.post('/proposals/:id/revisions', {
    schema: {
      tags: ['proposals'],
      operationId: 'reviseProposal',
      summary: "Revise a proposal's title or text (its author)",
      description:
        'A revision must say which version it revises: `If-Match: W/"<version>"` (412 when stale) or `expectedVersion` in the body (409 when stale). Without either it is refused with 428 Precondition Required.',
      params: ProposalParams,
      body: z.strictObject({
        title: Title(200).optional(),
        body: Text(20_000).optional(),
        expectedVersion: Version.optional(),
      }),
      response: { 200: WriteResult, ...problems(403, 404, 428) },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const expected = expectation(request, request.body.expectedVersion);
      if (!expected) throw new PreconditionRequired();
      const { title, body } = request.body;
      const response = await command(
        request,
        id,
        200,
        (state, who) => decide.reviseProposal(state, who, { proposalId: id, title, body }),
        {
          expected,
        },
      );
      return sendResponse(reply, response);
    },
  });

  app.post('/proposals/:id/comments', {
    schema: {
      tags: ['proposals'],
      operationId: 'postComment',
      summary: 'Comment on a proposal, or reply to a comment',
      params: ProposalParams,
      body: z.strictObject({
        body: Text(10_000),
        replyTo: Id.nullable().optional(),
        expectedVersion: Version.optional(),
      }),
      response: { 201: WriteResult.extend({ commentId: z.string() }), ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const commentId = newId();
      const replyTo = request.body.replyTo ?? null;
      const response = await command(
        request,
        id,
        201,
        (state, who) => decide.postComment(state, who, { proposalId: id, commentId, body: request.body.body, replyTo }),
        { expected: expectation(request, request.body.expectedVersion), body: { commentId } },
      );
      return sendResponse(reply, response);
    },
  });

  const STANCES = {
    endorsements: {
      post: {
        operationId: 'endorseProposal',
        summary: 'Endorse a proposal, with an optional note (a member participant)',
      },
      remove: { operationId: 'withdrawEndorsement', summary: "Withdraw the caller's entity's endorsement" },
    },
    objections: {
      post: { operationId: 'objectToProposal', summary: 'Object to a proposal, with a reason (a member participant)' },
      remove: { operationId: 'withdrawObjection', summary: "Withdraw the caller's entity's objection" },
    },
  } as const;
  const stance = (
    path: 'endorsements' | 'objections',
    body: z.ZodType<{ note?: string | undefined; reason?: string | undefined; expectedVersion?: number | undefined }>,
    post: (
      state: ProposalState,
      who: Participant,
      id: string,
      body: { note?: string | undefined; reason?: string | undefined },
    ) => ProposalEvent[],
    remove: (state: ProposalState, who: Participant, command: { proposalId: string }) => ProposalEvent[],
  ) => {
    app.post(`/proposals/:id/${path}`, {
      schema: {
        tags: ['proposals'],
        ...STANCES[path].post,
        params: ProposalParams,
        body,
        response: { 201: WriteResult, ...problems(403, 404) },
      },
      handler: async (request, reply) => {
        const { id } = request.params;
        const given = request.body as { note?: string; reason?: string; expectedVersion?: number };
        const response = await command(request, id, 201, (state, who) => post(state, who, id, given), {
          expected: expectation(request, given.expectedVersion),
        });
        return sendResponse(reply, response);
      },
    });
    app.delete(`/proposals/:id/${path}`, {
      schema: {
        tags: ['proposals'],
        ...STANCES[path].remove,
        params: ProposalParams,
        body: optionalBody(z.strictObject({ expectedVersion: Version.optional() })),
        response: { 200: WriteResult, ...problems(403, 404) },
      },
      handler: async (request, reply) => {
        const { id } = request.params;
        const response = await command(request, id, 200, (state, who) => remove(state, who, { proposalId: id }), {
          expected: expectation(request, request.body.expectedVersion),
        });
        return sendResponse(reply, response);
      },
    });
  };

  stance(
    'endorsements',
    optionalBody(z.strictObject({ note: Text(2_000).optional(), expectedVersion: Version.optional() })),
    (state, who, id, body) => decide.endorseProposal(state, who, { proposalId: id, note: body.note ?? null }),
    decide.withdrawEndorsement,
  );
  stance(
    'objections',
    z.strictObject({ reason: Text(4_000), expectedVersion: Version.optional() }),
    (state, who, id, body) => decide.raiseObjection(state, who, { proposalId: id, reason: body.reason ?? '' }),
    decide.withdrawObjection,
  );

  app.post('/proposals/:id/withdrawal', {
    schema: {
      tags: ['proposals'],
      operationId: 'withdrawProposal',
      summary: 'Withdraw an open proposal (its author)',
      params: ProposalParams,
      body: optionalBody(z.strictObject({ reason: Text(4_000).optional(), expectedVersion: Version.optional() })),
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const reason = request.body.reason ?? null;
      const response = await command(
        request,
        id,
        200,
        (state, who) => decide.withdrawProposal(state, who, { proposalId: id, reason }),
        {
          expected: expectation(request, request.body.expectedVersion),
        },
      );
      return sendResponse(reply, response);
    },
  });

  app.post('/proposals/:id/decision', {
    schema: {
      tags: ['proposals'],
      operationId: 'decideProposal',
      summary: 'Adopt or reject a proposal (a chair of its group)',
      params: ProposalParams,
      body: z.strictObject({
        outcome: z.enum(['adopted', 'rejected']),
        note: Text(4_000),
        override: z.boolean().default(false),
        expectedVersion: Version.optional(),
      }),
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const { expectedVersion, ...decision } = request.body;
      const response = await command(
        request,
        id,
        200,
        (state, who) => decide.decideProposal(state, who, { proposalId: id, ...decision }),
        {
          expected: expectation(request, expectedVersion),
        },
      );
      return sendResponse(reply, response);
    },
  });
}
