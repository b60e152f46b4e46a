import type { Schemas } from '../../api';
import type { ItemView } from '../../live';

export type ActionItem = Schemas['ActionItemView'];
export type StatusFilter = 'open' | 'overdue' | 'done' | 'cancelled';
export const STATUS_FILTERS: readonly StatusFilter[] = ['open', 'overdue', 'done', 'cancelled'];

export interface Filters {
  status: StatusFilter | '';
  owner: string;
}

/** An event frame's view is an action item's when it has an owner and a due date (a proposal's has neither). */
export function isActionItemView(view: ItemView | null): view is ActionItem {
  return view !== null && 'ownerEntityId' in view && 'dueDate' in view && 'percent' in view;
}

/** The status the API's filters and counts use: `open` means open and on time, `overdue` open and late. */
export function statusOf(item: ActionItem): StatusFilter {
  return item.overdue ? 'overdue' : item.status;
}

export function matches(item: ActionItem, filters: Filters): boolean {
  return (
    (filters.status === '' || statusOf(item) === filters.status) &&
    (filters.owner === '' || item.ownerEntityId === filters.owner)
  );
}

/** The API's order of a list: by due date, then by the order items were opened. */
function before(a: ActionItem, b: ActionItem): boolean {
  return a.dueDate < b.dueDate || (a.dueDate === b.dueDate && a.createdAt < b.createdAt);
}

/**
 * The board after a live view: a known item takes the newer version (a view never goes back); an item that
 * no longer matches the filters leaves; a new matching one is placed in order, unless it sorts after the
 * loaded page's end while more pages remain (it comes with them).
 */
export function applyView(items: ActionItem[], view: ActionItem, filters: Filters, complete: boolean): ActionItem[] {
  const index = items.findIndex((item) => item.id === view.id);
  const known = index === -1 ? undefined : items[index];
  if (known && known.version >= view.version) return items;
  const rest = index === -1 ? items : items.filter((item) => item.id !== view.id);
  if (!matches(view, filters)) return rest;
  const at = rest.findIndex((item) => before(view, item));
  if (at === -1) return complete || known ? [...rest, view] : rest;
  return [...rest.slice(0, at), view, ...rest.slice(at)];
}

const SOON_DAYS = 7;

/** Whether an open item is due within the dashboard's week (the API marks `overdue` but not `due soon`). */
export function isDueSoon(item: ActionItem, today: string): boolean {
  if (item.status !== 'open' || item.overdue) return false;
  const horizon = new Date(`${today}T00:00:00.000Z`);
  horizon.setUTCDate(horizon.getUTCDate() + SOON_DAYS);
  return item.dueDate <= horizon.toISOString().slice(0, 10);
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}
