import { z } from 'zod';
import { Timestamp } from '../eventStore/types';
import { DASHBOARD_LIST, RECENT_STEPS } from './bounds';

export const ActionItemStatus = z.enum(['open', 'done', 'cancelled']);

/** One step of an item's life: what happened, who did it (entity, person, role), when. */
export const ActionItemStep = z
  .object({
    type: z.string(),
    version: z.number().int(),
    position: z.number().int(),
    entityId: z.string().nullable(),
    person: z.string(),
    role: z.string(),
    at: Timestamp,
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ActionItemStep' });

/** An action item without its steps: what the dashboard lists. */
const SummaryShape = z.object({
  id: z.string(),
  groupId: z.string(),
  visibility: z.enum(['dialogue', 'members']).describe('members when it implements a members-only proposal'),
  title: z.string(),
  ownerEntityId: z.string(),
  dueDate: z.string(),
  proposalId: z.string().nullable(),
  status: ActionItemStatus,
  percent: z.number().int(),
  overdue: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const ActionItemSummary = SummaryShape.meta({ id: 'ActionItemSummary' });
export type ActionItemSummary = z.infer<typeof ActionItemSummary>;

/**
 * The contract's action item view, bounded in size: its latest steps and the count of all of them.
 * `overdue` is computed when read, against the server's clock (UTC).
 */
export const ActionItemView = SummaryShape.extend({
  historyCount: z.number().int().describe('all steps of the item'),
  history: z.array(ActionItemStep).describe(`the latest ${RECENT_STEPS} steps, oldest of them first`),
}).meta({ id: 'ActionItemView' });
export type ActionItemView = z.infer<typeof ActionItemView>;

export const ActionItemPage = z
  .object({ items: z.array(ActionItemView), nextCursor: z.string().nullable() })
  .meta({ id: 'ActionItemPage' });

const Counts = { open: z.number().int(), overdue: z.number().int(), done: z.number().int() };
export const Dashboard = z
  .object({
    today: z.string(),
    counts: z.object({ ...Counts, cancelled: z.number().int() }),
    overdue: z.array(ActionItemSummary).describe(`the ${DASHBOARD_LIST} most overdue items, by due date`),
    dueSoon: z.array(ActionItemSummary).describe(`the first ${DASHBOARD_LIST} items due soon, by due date`),
    byOwner: z.record(z.string(), z.object(Counts)),
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof Dashboard>;

/** `overdue` is an open item whose due date has passed; `open` in filters and counts means open and on time. */
export const StatusFilter = z.enum(['open', 'overdue', 'done', 'cancelled']);
export type StatusFilter = z.infer<typeof StatusFilter>;
