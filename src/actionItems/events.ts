import { z } from 'zod';

/** A real calendar date, `YYYY-MM-DD` (2026-02-30 is refused, not rolled over). */
export const DueDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'must be a real calendar date');

/**
 * Every action item event names its item, its group and its visibility: `members` when it implements a
 * members-only proposal (what it says would reveal the proposal), `dialogue` otherwise. Fan-out and reads
 * apply the one visibility rule to it, as to proposals.
 */
const about = { actionItemId: z.string(), groupId: z.string(), visibility: z.enum(['dialogue', 'members']) };

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), data: z.strictObject({ ...about, ...shape }) });

export const ActionItemOpened = event('ActionItemOpened', {
  title: z.string(),
  ownerEntityId: z.string(),
  dueDate: z.string(),
  proposalId: z.string().nullable(),
});
export const ActionItemProgressed = event('ActionItemProgressed', { percent: z.number().int(), note: z.string() });
export const ActionItemCompleted = event('ActionItemCompleted', { note: z.string().nullable() });
export const ActionItemReopened = event('ActionItemReopened', { reason: z.string() });
export const ActionItemCancelled = event('ActionItemCancelled', { reason: z.string() });
export const ActionItemDueDateChanged = event('ActionItemDueDateChanged', {
  dueDate: z.string(),
  previousDueDate: z.string(),
  reason: z.string(),
});

/**
 * The server declared the item overdue (kind `overdue`): `dueDate` passed, `dueAt` is 00:00 UTC of the day
 * after it, `firedAt` when it was recorded.
 */
export const ActionItemBecameOverdue = event('ActionItemBecameOverdue', {
  dueDate: z.string(),
  dueAt: z.string(),
  firedAt: z.string(),
});

export const ActionItemEvent = z.discriminatedUnion('type', [
  ActionItemOpened,
  ActionItemProgressed,
  ActionItemCompleted,
  ActionItemReopened,
  ActionItemCancelled,
  ActionItemDueDateChanged,
  ActionItemBecameOverdue,
]);
export type ActionItemEvent = z.infer<typeof ActionItemEvent>;

export const ACTION_ITEM_EVENT_TYPES: ReadonlySet<string> = new Set(
  ActionItemEvent.options.map((option) => option.shape.type.value),
);

export const actionItemStream = (actionItemId: string): string => `action-item-${actionItemId}`;
