import { preparedPerConnection, type Sqlite } from '../eventStore/database';
import type { Visible } from '../dialogue/visibility';
import {
  type ActionItemSummary,
  type ActionItemView,
  type Dashboard,
  DASHBOARD_LIST,
  RECENT_STEPS,
  type StatusFilter,
} from './views';

export interface ActionItemLink {
  id: string;
  title: string;
  status: 'open' | 'done' | 'cancelled';
}

interface ActionItemRow {
  id: string;
  group_id: string;
  visibility: 'dialogue' | 'members';
  seq: number;
  title: string;
  owner_entity_id: string;
  due_date: string;
  proposal_id: string | null;
  status: 'open' | 'done' | 'cancelled';
  percent: number;
  version: number;
  created_at: string;
  updated_at: string;
}

interface StepRow {
  type: string;
  version: number;
  position: number;
  entity_id: string | null;
  person: string;
  role: string;
  at: string;
  detail: string;
}

function prepare(sqlite: Sqlite) {
  return {
    item: sqlite.prepare<[string], ActionItemRow>('SELECT * FROM action_items WHERE id = ?'),
    ofGroup: sqlite.prepare<[string], ActionItemRow>(
      'SELECT * FROM action_items WHERE group_id = ? ORDER BY due_date, seq',
    ),
    facts: sqlite.prepare<[string], Visible>('SELECT group_id AS groupId, visibility FROM action_items WHERE id = ?'),
    ofProposal: sqlite.prepare<[string, number], ActionItemLink>(
      'SELECT id, title, status FROM action_items WHERE proposal_id = ? ORDER BY seq LIMIT ?',
    ),
    countOfProposal: sqlite
      .prepare<[string], number>('SELECT count(*) FROM action_items WHERE proposal_id = ?')
      .pluck(),
    // The latest steps, oldest of them first; the whole history is paged by the history route.
    recentSteps: sqlite.prepare<[string, number], StepRow>(
      'SELECT * FROM (SELECT * FROM action_item_history WHERE action_item_id = ? ORDER BY version DESC LIMIT ?) ORDER BY version',
    ),
  };
}

/** Prepared once per connection: these run on every request and every fan-out. */
const statementsOf = preparedPerConnection(prepare);

/** The first action items that implement a proposal (in the order they were opened), and how many there are. */
export function actionItemsOfProposal(
  sqlite: Sqlite,
  proposalId: string,
  limit: number,
): { items: ActionItemLink[]; count: number } {
  const statements = statementsOf(sqlite);
  const items = statements.ofProposal.all(proposalId, limit);
  return {
    items,
    count: items.length < limit ? items.length : (statements.countOfProposal.get(proposalId) ?? items.length),
  };
}

/** The group and visibility of an action item (who may see it), without reading its view. */
export function actionItemFacts(sqlite: Sqlite, id: string): Visible | undefined {
  return statementsOf(sqlite).facts.get(id);
}

/** Today's date in UTC, `YYYY-MM-DD`: what due dates are compared with. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function toSummary(row: ActionItemRow, today: string): ActionItemSummary {
  return {
    id: row.id,
    groupId: row.group_id,
    visibility: row.visibility,
    title: row.title,
    ownerEntityId: row.owner_entity_id,
    dueDate: row.due_date,
    proposalId: row.proposal_id,
    status: row.status,
    percent: row.percent,
    overdue: row.status === 'open' && row.due_date < today,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toView(sqlite: Sqlite, row: ActionItemRow, today: string): ActionItemView {
  const { createdAt, updatedAt, ...summary } = toSummary(row, today);
  return {
    ...summary,
    // Every event of the item is a step: its version is the number of steps.
    historyCount: row.version,
    history: statementsOf(sqlite)
      .recentSteps.all(row.id, RECENT_STEPS)
      .map((step) => ({
        type: step.type,
        version: step.version,
        position: step.position,
        entityId: step.entity_id,
        person: step.person,
        role: step.role,
        at: step.at,
        detail: JSON.parse(step.detail) as Record<string, unknown>,
      })),
    createdAt,
    updatedAt,
  };
}

/** One action item as a participant sees it; `today` decides `overdue`. */
export function loadActionItemView(sqlite: Sqlite, id: string, today: string): ActionItemView | undefined {
  const row = statementsOf(sqlite).item.get(id);
  return row && toView(sqlite, row, today);
}

/** Every action item of a group, by due date (the auditor's state at a position). */
export function groupActionItemViews(sqlite: Sqlite, groupId: string, today: string): ActionItemView[] {
  return statementsOf(sqlite)
    .ofGroup.all(groupId)
    .map((row) => toView(sqlite, row, today));
}

export interface ActionItemQuery {
  groupId: string;
  today: string;
  /** False for observers: items implementing members-only proposals are not theirs to see. */
  includeMembers: boolean;
  status?: StatusFilter | undefined;
  owner?: string | undefined;
  /** Only the items that implement this proposal. */
  proposal?: string | undefined;
  /** At most this many; none for every item. */
  limit?: number | undefined;
  /** Keyset: the (due date, opening sequence) of the last item of the previous page. */
  after?: ActionItemKey | undefined;
}

/** Where a list of action items continues: after this (due date, opening sequence). */
export type ActionItemKey = { dueDate: string; seq: number };

/** A page of a group's action items by due date (oldest due first), filtered as a chair asks, each with its key's `seq`. */
export function listActionItems(sqlite: Sqlite, query: ActionItemQuery): Array<ActionItemView & { seq: number }> {
  return actionItemRows(sqlite, query).map((row) => ({ ...toView(sqlite, row, query.today), seq: row.seq }));
}

/** `listActionItems` without the items' steps (the meeting pack's CSV). */
export function listActionItemSummaries(sqlite: Sqlite, query: ActionItemQuery): ActionItemSummary[] {
  return actionItemRows(sqlite, query).map((row) => toSummary(row, query.today));
}

function actionItemRows(sqlite: Sqlite, query: ActionItemQuery): ActionItemRow[] {
  const where = ['group_id = ?'];
  const params: Array<string | number> = [query.groupId];
  if (!query.includeMembers) where.push("visibility = 'dialogue'");
  if (query.status === 'overdue' || query.status === 'open') {
    where.push(`status = 'open' AND due_date ${query.status === 'overdue' ? '<' : '>='} ?`);
    params.push(query.today);
  } else if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.owner) {
    where.push('owner_entity_id = ?');
    params.push(query.owner);
  }
  if (query.proposal) {
    where.push('proposal_id = ?');
    params.push(query.proposal);
  }
  if (query.after) {
    where.push('(due_date, seq) > (?, ?)');
    params.push(query.after.dueDate, query.after.seq);
  }
  params.push(query.limit ?? -1);
  return sqlite
    .prepare<Array<string | number>, ActionItemRow>(
      `SELECT * FROM action_items WHERE ${where.join(' AND ')} ORDER BY due_date, seq LIMIT ?`,
    )
    .all(...params);
}

const DUE_SOON_DAYS = 7;

/** The chair's dashboard: counts (open, overdue, done and cancelled partition the items), what is late, what is due soon, and who owns what. */
export function groupDashboard(sqlite: Sqlite, groupId: string, today: string, includeMembers: boolean): Dashboard {
  const items = listActionItemSummaries(sqlite, { groupId, today, includeMembers });
  const soon = new Date(`${today}T00:00:00.000Z`);
  soon.setUTCDate(soon.getUTCDate() + DUE_SOON_DAYS);
  const horizon = utcDay(soon);
  const dashboard: Dashboard = {
    today,
    counts: { open: 0, overdue: 0, done: 0, cancelled: 0 },
    overdue: [],
    dueSoon: [],
    byOwner: {},
  };
  for (const item of items) {
    const bucket = item.overdue ? 'overdue' : item.status;
    dashboard.counts[bucket] += 1;
    if (item.overdue) {
      if (dashboard.overdue.length < DASHBOARD_LIST) dashboard.overdue.push(item);
    } else if (item.status === 'open' && item.dueDate <= horizon && dashboard.dueSoon.length < DASHBOARD_LIST)
      dashboard.dueSoon.push(item);
    if (bucket !== 'cancelled') {
      dashboard.byOwner[item.ownerEntityId] ??= { open: 0, overdue: 0, done: 0 };
      const owner = dashboard.byOwner[item.ownerEntityId];
      if (owner) owner[bucket] += 1;
    }
  }
  return dashboard;
}
