import { z } from 'zod';

export const ActionItemStatus = z.enum(['open', 'done', 'cancelled']);

/** One step of an item's life: what happened, who did it (entity, person, role), when. */
export const ActionItemStep = z.object({
  type: z.string(),
  version: z.number().int(),
  position: z.number().int(),
  entityId: z.string().nullable(),
  person: z.string(),
  role: z.string(),
  at: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

/** The contract's action item view. `overdue` is computed when read, against the server's clock (UTC). */
export const ActionItemView = z.object({
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
  history: z.array(ActionItemStep),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActionItemView = z.infer<typeof ActionItemView>;

export const ActionItemPage = z.object({ items: z.array(ActionItemView), nextCursor: z.string().nullable() });

const Counts = { open: z.number().int(), overdue: z.number().int(), done: z.number().int() };
export const Dashboard = z.object({
  today: z.string(),
  counts: z.object({ ...Counts, cancelled: z.number().int() }),
  overdue: z.array(ActionItemView),
  dueSoon: z.array(ActionItemView),
  byOwner: z.record(z.string(), z.object(Counts)),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** `overdue` is an open item whose due date has passed; `open` in filters and counts means open and on time. */
export const StatusFilter = z.enum(['open', 'overdue', 'done', 'cancelled']);
export type StatusFilter = z.infer<typeof StatusFilter>;
