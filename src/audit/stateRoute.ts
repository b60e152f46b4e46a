import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ActionItemView } from '../actionItems/views';
import { BadRequest, NotFound } from '../errors';
import { Timestamp } from '../eventStore/types';
import { requireRole } from '../http/auth';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { pageWithin } from '../http/limits';
import { problems } from '../http/openapi';
import { GroupParams } from '../http/schemas';
import { ProposalView } from '../proposals/views';
import { DeclarationView } from '../editions/declaration/views';
import { EditionView } from '../editions/views';
import { PROJECTIONS, type Runtime } from '../runtime';
import { replayState, resolveAt } from './replay';

const StateCursor = z.strictObject({
  group: z.string(),
  position: z.number().int().min(0),
  index: z.number().int().min(0),
});

const StateQuery = z.strictObject({
  at: z.string().min(1).max(40),
  group: GroupParams.shape.groupId,
  cursor: z.string().max(200).optional().describe('continues a state whose views did not fit one page'),
});

/** A group's views replayed to a moment of the log (auditor). */
export function stateRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get('/audit/state', {
    schema: {
      tags: ['audit'],
      operationId: 'getStateAt',
      summary: "A group's proposals and action items, and the editions, as they stood at a position or time (auditor)",
      querystring: StateQuery,
      response: {
        200: z.object({
          group: z.string(),
          position: z.number().int(),
          recordedAt: Timestamp.nullable(),
          proposals: z.array(ProposalView),
          actionItems: z.array(ActionItemView),
          editions: z
            .array(z.object({ edition: EditionView, declaration: DeclarationView.nullable() }))
            .describe("every edition and its declaration as they were (the first page only; an auditor's view)"),
          nextCursor: z
            .string()
            .nullable()
            .describe('the next page of the same state (its proposals first, then its action items)'),
        }),
        ...problems(403, 404),
      },
    },
    handler: async (request) => {
      requireRole(request.actor, 'auditor');
      return stateAt(runtime, request.query);
    },
  });
}

/** One page of a group's state at `at`, or the page a cursor continues. */
async function stateAt(runtime: Runtime, query: z.infer<typeof StateQuery>) {
  const { reader } = runtime.store;
  const { group } = query;
  if (!runtime.directory.group(group)) throw new NotFound(`no working group '${group}'`);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, StateCursor);
  if (cursor && cursor.group !== group)
    throw new BadRequest('invalid cursor', [
      { path: 'querystring.cursor', message: 'this cursor continues another group' },
    ]);
  // A page after the first continues the position the first one resolved `at` to (`at` is then ignored).
  const at = Math.min(cursor?.position ?? resolveAt(runtime.db.sqlite, query.at), reader.head().position);
  const replayed = await replayState(reader, PROJECTIONS, at, [group]);
  const [state] = replayed.groups;
  if (!state) throw new NotFound(`no working group '${group}'`);
  const views = [
    ...state.proposals.map((view) => ({ proposal: view })),
    ...state.actionItems.map((view) => ({ actionItem: view })),
  ];
  const start = cursor?.index ?? 0;
  const page = pageWithin(views.slice(start), Number.MAX_SAFE_INTEGER);
  const proposals = page.items.flatMap((entry) => ('proposal' in entry ? [entry.proposal] : []));
  const actionItems = page.items.flatMap((entry) => ('actionItem' in entry ? [entry.actionItem] : []));
  const nextCursor = page.more
    ? encodeCursor({ group, position: state.position, index: start + page.items.length })
    : null;
  // The Dialogue's editions, on the first page only: they belong to no group, and are few.
  const editions = cursor ? [] : replayed.editions;
  return { ...state, proposals, actionItems, editions, nextCursor };
}
