import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { newId } from '../eventStore/eventId';
import { z } from 'zod';
import { type Participant, participantOf } from '../dialogue/participant';
import { canSee, mayFind, requireGroup, seesMembersContent } from '../dialogue/visibility';
import { NotFound } from '../errors';
import { etag, expectation, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import type { Decider } from '../commands/decider';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { History, StreamPageQuery, streamHistory } from '../http/history';
import { readWithin } from '../http/limits';
import { GroupParams, Id, optionalBody, PageLimit, Text, Title, Version, WriteResult } from '../http/schemas';
import { proposalFacts } from '../proposals/queries';
import type { Runtime } from '../runtime';
import { actionItemsCsv } from './csv';
import * as decide from './decide';
import { ActionItemEvent, actionItemStream, DueDate } from './events';
import { type ActionItemState, evolveActionItem, initialActionItemState } from './evolve';
import {
  type ActionItemKey,
  actionItemFacts,
  groupDashboard,
  listActionItems,
  listActionItemSummaries,
  loadActionItemView,
  utcDay,
} from './queries';
import { ActionItemPage, ActionItemView, Dashboard, StatusFilter } from './views';

const actionItemAggregate: Decider<ActionItemState, ActionItemEvent> = {
  initialState: initialActionItemState,
  evolve: evolveActionItem,
  parse: (event) => ActionItemEvent.parse({ type: event.type, data: event.data }),
};

const ItemParams = z.strictObject({ id: Id });
const ListQuery = z.strictObject({
  status: StatusFilter.optional(),
  owner: Id.optional(),
  proposal: Id.optional().describe('only the items that implement this proposal'),
  limit: PageLimit,
  cursor: z.string().max(200).optional(),
});
const Cursor = z.strictObject({ dueDate: z.string().max(10), seq: z.number().int().positive() });

/** Action items: opened by chairs, progressed by owners, chased on the dashboard and in the meeting pack. */
export async function actionItemRoutes(parent: FastifyInstance, runtime: Runtime): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store, directory } = runtime;
  const sqlite = runtime.db.sqlite;
  const today = () => utcDay(runtime.clock());

  /** A 404 unless the caller may see the item, decided before its view is read (see the proposal routes). */
  const requireVisible = (request: FastifyRequest, id: string) => {
    const facts = actionItemFacts(sqlite, id);
    if (!mayFind(directory, request.actor, facts)) throw new NotFound(`no action item '${id}'`);
  };

  const command = (
    request: FastifyRequest,
    id: string,
    expectedVersion: number | undefined,
    decision: (state: ActionItemState, who: Participant) => ActionItemEvent[],
  ) => {
    const who = participantOf(directory, request.actor, request.viewGeneration);
    return runtime.commands.handle(writeContext(request), {
      streamId: actionItemStream(id),
      decider: actionItemAggregate,
      statusCode: 200,
      decide: (state) => decision(state, who),
      expected: expectation(request, expectedVersion),
    });
  };

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
      const facts = proposalId === null ? undefined : proposalFacts(sqlite, proposalId);
      const proposal = facts && canSee(directory, request.actor, facts) ? facts : undefined;
      const actionItemId = newId();
      const who = participantOf(directory, request.actor, request.viewGeneration);
      const response = await runtime.commands.handle(writeContext(request), {
        streamId: actionItemStream(actionItemId),
        decider: actionItemAggregate,
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
        listActionItems(sqlite, { groupId, today: today(), includeMembers, ...filters, limit: count, after });
      const page = readWithin(read, (item) => ({ dueDate: item.dueDate, seq: item.seq }), start, limit);
      const last = page.items.at(-1);
      return {
        items: page.items.map(({ seq, ...view }) => view),
        nextCursor: page.more && last ? encodeCursor({ dueDate: last.dueDate, seq: last.seq }) : null,
      };
    },
  });

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
      const items = listActionItemSummaries(sqlite, { groupId, today: today(), includeMembers, ...request.query });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${groupId}-action-items.csv"`)
        .send(actionItemsCsv(items));
    },
  });

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
      return groupDashboard(sqlite, request.params.groupId, today(), seesMembersContent(request.actor));
    },
  });

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
      const view = loadActionItemView(sqlite, request.params.id, today());
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

  // Every transition may name the version it was written against (409 when stale), as If-Match does (412).
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
