import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { participantOf } from '../dialogue/participant';
import { requireGroup } from '../dialogue/visibility';
import { newId } from '../eventStore/eventId';
import { expectation, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import { GroupParams, Text, Title, WriteResult } from '../http/schemas';
import type { Runtime } from '../runtime';
import * as decide from './decider';
import { proposalDecider } from './decider';
import { proposalStream, Visibility } from './events';
import { readRoutes } from './readRoutes';
import { consultationRoutes } from './consultationRoutes';
import { DeadlineAt, type ProposalRouteContext, routeContext, utcInstant } from './routeContext';
import { SimilarProposal } from './views';
import { writeRoutes } from './writeRoutes';

/** Proposals and their deliberation: submit, revise, comment, endorse, object, withdraw, decide; lists and search. */
export async function proposalRoutes(
  parent: FastifyInstance,
  runtime: Runtime,
  pillars: readonly string[],
): Promise<void> {
  const context = routeContext(parent, runtime, pillars);
  // The order of registration is the order of the OpenAPI document's paths and operations.
  submitRoute(context);
  readRoutes(context);
  writeRoutes(context);
  consultationRoutes(context);
}

/** POST /groups/:groupId/proposals: a new proposal; its answer lists the similar proposals. */
function submitRoute({ app, directory, commands, clock, pillars, Pillar, similarTo }: ProposalRouteContext) {
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
        closesAt: DeadlineAt.optional().describe('when the consultation closes; after now'),
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
      const { title, body, visibility, closesAt, ...rest } = request.body;
      const deadline = { closesAt: closesAt === undefined ? null : utcInstant(closesAt), now: clock().toISOString() };
      // Before the append, as the preview route answers it (on SQLite: the new text scored in its table under
      // the next position, where its submission indexes it); nothing of the route runs inside the store's
      // transaction.
      const similar = await similarTo(who, { groupId, visibility, title, body });
      const response = await commands.handle(writeContext(request), {
        streamId: proposalStream(proposalId),
        decider: proposalDecider,
        statusCode: 201,
        decide: (state) =>
          decide.submitProposal(state, who, { proposalId, groupId, title, body, visibility, ...rest, ...deadline }),
        // A new proposal's stream is at version 0: If-Match can only be W/"0" or *.
        expected: expectation(request, undefined),
        body: { id: proposalId, similar },
      });
      return sendResponse(reply, response);
    },
  });
}
