import { type Selectable, sql } from 'kysely';
import type { ActionItemsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Visible } from '../dialogue/visibility';
import type { Sqlite } from '../eventStore/database';
import { type ActionItemQuery, listStatement } from './list';
import { DASHBOARD_LIST, RECENT_STEPS } from './bounds';
// Only types from ./views: the runtime imports this module, and evaluating the views' schemas here would
// register them earlier, reordering the OpenAPI document's components.
import type { ActionItemSummary, ActionItemView, Dashboard } from './views';

type ActionItemRow = Selectable<ActionItemsTable>;

/** Today's date in UTC, `YYYY-MM-DD`: what due dates are compared with. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function statements(sqlite: Sqlite) {
  return {
    item: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('action_items').selectAll().where('id', '=', p.id),
    ),
    ofGroup: prepare(sqlite, (db, p: Params<{ groupId: string }>) =>
      db.selectFrom('action_items').selectAll().where('group_id', '=', p.groupId).orderBy('due_date').orderBy('seq'),
    ),
    // Open items whose due date is before `today` and not declared overdue for it (index action_items_overdue_due).
    dueOverdue: prepare(sqlite, (db, p: Params<{ today: string; limit: number }>) =>
      db
        .selectFrom('action_items')
        .select(['id', 'due_date as dueDate'])
        .where('status', '=', sql.lit('open'))
        .where('due_date', '<', p.today)
        // Said as the partial index says it, so that the index serves the poll.
        .where((eb) => eb('overdue_for', 'is not', eb.ref('due_date')))
        .orderBy('due_date')
        .orderBy('seq')
        .limit(p.limit),
    ),
    facts: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('action_items').select(['group_id as groupId', 'visibility']).where('id', '=', p.id),
    ),
    ofProposal: prepare(sqlite, (db, p: Params<{ proposalId: string; limit: number }>) =>
      db
        .selectFrom('action_items')
        .select(['id', 'title', 'status'])
        .where('proposal_id', '=', p.proposalId)
        .orderBy('seq')
        .limit(p.limit),
    ),
    countOfProposal: prepare(sqlite, (db, p: Params<{ proposalId: string }>) =>
      db
        .selectFrom('action_items')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('proposal_id', '=', p.proposalId),
    ),
    // The latest steps, oldest of them first; the whole history is paged by the history route.
    recentSteps: prepare(sqlite, (db, p: Params<{ id: string; limit: number }>) =>
      db
        .selectFrom(
          db
            .selectFrom('action_item_history')
            .selectAll()
            .where('action_item_id', '=', p.id)
            .orderBy('version', 'desc')
            .limit(p.limit)
            .as('recent'),
        )
        .selectAll()
        .orderBy('version'),
    ),
  };
}

/**
 * The action item views as routes, the live fan-out and the proposal views read them: statements prepared
 * once, when the runtime (or a replay, on its scratch database) creates this object.
 */
export class ActionItemQueries {
  private readonly run;
  private readonly list;

  constructor(sqlite: Sqlite) {
    this.run = statements(sqlite);
    this.list = listStatement(sqlite);
  }

  /** The first action items that implement a proposal (in the order they were opened), and how many there are. */
  ofProposal(proposalId: string, limit: number) {
    const items = this.run.ofProposal.all({ proposalId, limit });
    return {
      items,
      count:
        items.length < limit ? items.length : (this.run.countOfProposal.get({ proposalId })?.count ?? items.length),
    };
  }

  /** The items that became overdue by `now` and were not declared so yet, earliest due first (the scheduler's kind). */
  dueOverdue(now: Date, limit: number): Array<{ id: string; dueDate: string }> {
    return this.run.dueOverdue.all({ today: utcDay(now), limit });
  }

  /** The group and visibility of an action item (who may see it), without reading its view. */
  facts(id: string): Visible | undefined {
    return this.run.facts.get({ id });
  }

  /** One action item as a participant sees it; `today` decides `overdue`. */
  view(id: string, today: string): ActionItemView | undefined {
    const row = this.run.item.get({ id });
    return row && this.toView(row, today);
  }

  /** Every action item of a group, by due date (the auditor's state at a position). */
  groupViews(groupId: string, today: string): ActionItemView[] {
    return this.run.ofGroup.all({ groupId }).map((row) => this.toView(row, today));
  }

  /** A page of a group's action items by due date (oldest due first), filtered as a chair asks, each with its key's `seq`. */
  page(query: ActionItemQuery): Array<ActionItemView & { seq: number }> {
    return this.list(query).map((row) => ({ ...this.toView(row, query.today), seq: row.seq }));
  }

  /** `page` without the items' steps (the meeting pack's CSV). */
  summaries(query: ActionItemQuery): ActionItemSummary[] {
    return this.list(query).map((row) => toSummary(row, query.today));
  }

  /** The chair's dashboard: counts (open, overdue, done and cancelled partition the items), what is late, what is due soon, and who owns what. */
  dashboard(groupId: string, today: string, includeMembers: boolean): Dashboard {
    return dashboardOf(this.summaries({ groupId, today, includeMembers }), today);
  }

  private toView(row: ActionItemRow, today: string): ActionItemView {
    const { createdAt, updatedAt, ...summary } = toSummary(row, today);
    return {
      ...summary,
      // Every event of the item is a step: its version is the number of steps.
      historyCount: row.version,
      history: this.run.recentSteps.all({ id: row.id, limit: RECENT_STEPS }).map((step) => ({
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

const DUE_SOON_DAYS = 7;

function dashboardOf(items: readonly ActionItemSummary[], today: string): Dashboard {
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
