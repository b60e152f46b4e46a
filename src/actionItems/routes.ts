import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Participant, participantOf } from '../dialogue/participant';
import { canSee, requireGroup } from '../dialogue/visibility';
import { newId } from '../eventStore/eventId';
import { expectation, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import { GroupParams, Id, optionalBody, Text, Title, Version, WriteResult } from '../http/schemas';
import type { Runtime } from '../runtime';
import * as decide from './decider';
import { type ActionItemState, actionItemDecider } from './decider';
import { type ActionItemEvent, actionItemStream, DueDate } from './events';
import { ItemParams, readRoutes } from './readRoutes';

/** Every transition may name the version it was written against (409 when stale), as If-Match does (412). */
const expectedVersion = Version.optional();
const Reason = z.strictObject({ reason: Text(4_000), expectedVersion });
const transitions = [
  [
    'due-date',
    { operationId: 'changeDueDate', summary: 'Move the due date, with a reason (a chair)' },
    z.strictObject({ dueDate: DueDate, reason: Text(4_000), expectedVersion }),
    decide.changeDueDate,
  ],
  [
    'progress',
    { operationId: 'recordProgress', summary: 'Record progress in percent, with a note (the owner or a chair)' },
    z.strictObject({ percent: z.number().int().min(0).max(100), note: Text(4_000), expectedVersion }),
    decide.recordProgress,
  ],
  [
    'completion',
    { operationId: 'completeActionItem', summary: 'Mark the action item done (the owner or a chair)' },
    optionalBody(z.strictObject({ note: Text(4_000).optional(), expectedVersion })),
    (state: ActionItemState, who: Participant, body: { id: string; note?: string | undefined }) =>
      decide.completeActionItem(state, who, { id: body.id, note: body.note ?? null }),
  ],
  [
    'reopening',
    { operationId: 'reopenActionItem', summary: 'Reopen a done or cancelled action item, with a reason (a chair)' },
    Reason,
    decide.reopenActionItem,
  ],
  [
    'cancellation',
    { operationId: 'cancelActionItem', summary: 'Cancel the action item, with a reason (a chair)' },
    Reason,
    decide.cancelActionItem,
  ],
] as const;

/** Action items: opened by chairs, progressed by owners, chased on the dashboard and in the meeting pack. */
export async function actionItemRoutes(parent: FastifyInstance, runtime: Runtime): Promise<void> {
  // Registered in this order, which is the order of the OpenAPI document's paths.
  openRoute(parent, runtime);
  readRoutes(parent, runtime);
  transitionRoutes(parent, runtime);
}

/** A chair opens an item, for a participating member entity, perhaps implementing an adopted proposal. */
function openRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory } = runtime;
  app.post('/groups/:groupId/action-items', {
    config: { location: ({ id }) => `/action-items/${id}` },
    schema: {
      tags: ['action items'],
      operationId: 'openActionItem',
      summary: 'Open an action item in a group, optionally implementing a proposal (a chair)',
      params: GroupParams,
      body: z.strictObject({ title: Title(200), ownerEntityId: Id, dueDate: DueDate, proposalId: Id.optional() }),
      response: { 201: WriteResult.extend({ id: z.string() }), ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { groupId } = request.params;
      requireGroup(directory, request.actor, groupId);
      const { title, ownerEntityId, dueDate } = request.body;
      const proposalId = request.body.proposalId ?? null;
      const entity = directory.entity(ownerEntityId);
      const owner = entity && {
        id: entity.id,
        kind: entity.kind,
        participates: directory.participates(groupId, entity.id),
      };
      const facts = proposalId === null ? undefined : runtime.proposals.facts(proposalId);
      const proposal = facts && canSee(directory, request.actor, facts) ? facts : undefined;
      const actionItemId = newId();
      const who = participantOf(directory, request.actor, request.viewGeneration);
      const response = await runtime.commands.handle(writeContext(request), {
        streamId: actionItemStream(actionItemId),
        decider: actionItemDecider,
        statusCode: 201,
        decide: (state) =>
          decide.openActionItem(state, who, {
            actionItemId,
            groupId,
            title,
            dueDate,
            owner,
            ownerEntityId,
            proposal,
            proposalId,
          }),
        body: { id: actionItemId },
        // A new item's stream is at version 0: If-Match can only be W/"0" or *.
        expected: expectation(request, undefined),
      });
      return sendResponse(reply, response);
    },
  });
}

/** The transitions of an open (or closed) item, each a POST on the item naming its decision. */
function transitionRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory } = runtime;
  const command = (
    request: FastifyRequest,
    id: string,
    expectedVersion: number | undefined,
    decision: (state: ActionItemState, who: Participant) => ActionItemEvent[],
  ) => {
    const who = participantOf(directory, request.actor, request.viewGeneration);
    return runtime.commands.handle(writeContext(request), {
      streamId: actionItemStream(id),
      decider: actionItemDecider,
      statusCode: 200,
      decide: (state) => decision(state, who),
      expected: expectation(request, expectedVersion),
    });
  };

  for (const [path, names, body, decision] of transitions) {
    app.post(`/action-items/:id/${path}`, {
      schema: {
        tags: ['action items'],
        ...names,
        params: ItemParams,
        body,
        response: { 200: WriteResult, ...problems(403, 404) },
      },
      handler: async (request, reply) => {
        const { id } = request.params;
        const { expectedVersion: version, ...fields } = request.body as { expectedVersion?: number };
        const given = { ...fields, id };
        const decideWith = decision as (
          state: ActionItemState,
          who: Participant,
          command: typeof given,
        ) => ActionItemEvent[];
        return sendResponse(reply, await command(request, id, version, (state, who) => decideWith(state, who, given)));
      },
    });
  }
}
