import type { DeadlineKind, Firing } from '../deadlines/kind';
import { type ActionItemState, actionItemDecider } from './decider';
import { type ActionItemEvent, actionItemStream } from './events';
import type { ActionItemQueries } from './queries';

/** When an item due on `dueDate` (YYYY-MM-DD) becomes overdue: 00:00 UTC of the next day, as the dashboard reads it. */
export function overdueAt(dueDate: string): string {
  const day = new Date(`${dueDate}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

/**
 * The scheduler's firing of an item's due date: the item is open, still due on the date that fell due, and
 * was not declared overdue for that date yet (reopening an item whose date fired does not fire it again).
 */
export function declareOverdue(state: ActionItemState, firing: Firing): ActionItemEvent[] {
  if (!state.exists || state.status !== 'open' || state.overdueFor === state.dueDate) return [];
  if (overdueAt(state.dueDate) !== firing.dueAt) return [];
  const { actionItemId, groupId, visibility, dueDate } = state;
  const { dueAt, firedAt } = firing;
  return [{ type: 'ActionItemBecameOverdue', data: { actionItemId, groupId, visibility, dueDate, dueAt, firedAt } }];
}

/** An action item's due date as a deadline the scheduler fires (`ActionItemBecameOverdue`, once per date). */
export function overdueDeadline(
  queries: Pick<ActionItemQueries, 'dueOverdue'>,
): DeadlineKind<ActionItemState, ActionItemEvent> {
  return {
    name: 'overdue',
    due: (now, limit) =>
      queries
        .dueOverdue(now, limit)
        .map(({ id, dueDate }) => ({ streamId: actionItemStream(id), dueAt: overdueAt(dueDate) })),
    decider: actionItemDecider,
    fire: declareOverdue,
  };
}
