import { z } from 'zod';
import type { Participant } from '../dialogue/participant';
import { PreconditionRequired } from '../errors';
import { newId } from '../eventStore/eventId';
import { expectation, sendResponse } from '../http/command';
import { problems } from '../http/openapi';
import { Id, optionalBody, Text, Title, Version, WriteResult } from '../http/schemas';
import * as decide from './decider';
import type { ProposalEvent } from './events';
import { ProposalParams, type ProposalRouteContext } from './routeContext';
import type { ProposalState } from './state';

/** The proposal commands after its submission: revise, comment, endorse, object, withdraw, decide. */
export function writeRoutes(context: ProposalRouteContext): void {
  reviseRoute(context);
  postCommentRoute(context);
  stanceRoutes(
    context,
    'endorsements',
    optionalBody(z.strictObject({ note: Text(2_000).optional(), expectedVersion: Version.optional() })),
    (state, who, id, body) =>
      decide.endorseProposal(state, who, {
        proposalId: id,
        note: body.note ?? null,
        now: context.clock().toISOString(),
      }),
    decide.withdrawEndorsement,
  );
  stanceRoutes(
    context,
    'objections',
    z.strictObject({ reason: Text(4_000), expectedVersion: Version.optional() }),
    (state, who, id, body) =>
      decide.raiseObjection(state, who, {
        proposalId: id,
        reason: body.reason ?? '',
        now: context.clock().toISOString(),
      }),
    decide.withdrawObjection,
  );
  withdrawRoute(context);
  decideRoute(context);
}

/** POST /proposals/:id/revisions: its author's new title or text, against a stated version. */
function reviseRoute({ app, command }: ProposalRouteContext) {
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
}

/** POST /proposals/:id/comments: a comment, or a reply to one. */
function postCommentRoute({ app, command }: ProposalRouteContext) {
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
}

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

/** POST and DELETE /proposals/:id/<endorsements|objections>: a member's stance, taken or withdrawn. */
function stanceRoutes(
  { app, command }: ProposalRouteContext,
  path: 'endorsements' | 'objections',
  body: z.ZodType<{ note?: string | undefined; reason?: string | undefined; expectedVersion?: number | undefined }>,
  post: (
    state: ProposalState,
    who: Participant,
    id: string,
    body: { note?: string | undefined; reason?: string | undefined },
  ) => ProposalEvent[],
  remove: (state: ProposalState, who: Participant, command: { proposalId: string }) => ProposalEvent[],
): void {
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
}

/** POST /proposals/:id/withdrawal: its author withdraws an open proposal. */
function withdrawRoute({ app, command }: ProposalRouteContext) {
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
}

/** POST /proposals/:id/decision: a chair adopts or rejects it. */
function decideRoute({ app, command }: ProposalRouteContext) {
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
