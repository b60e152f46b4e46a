import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { ActionItemsTable, Database } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { StatusFilter } from './views';

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

type Bound = {
  groupId: string;
  today: string;
  status: ActionItemsTable['status'];
  owner: string;
  proposal: string;
  afterDueDate: string;
  afterSeq: number;
  limit: number;
};

/** Which filters a query uses: each combination is one statement. */
type Shape = Pick<ActionItemQuery, 'includeMembers' | 'status'> & { owner: boolean; proposal: boolean; after: boolean };

function build(sqlite: Sqlite, shape: Shape) {
  return prepare(sqlite, (db, p: Params<Bound>) => {
    let query = db.selectFrom('action_items').selectAll().where('group_id', '=', p.groupId);
    if (!shape.includeMembers) query = query.where('visibility', '=', sql.lit('dialogue'));
    if (shape.status === 'overdue' || shape.status === 'open') {
      const onTime = shape.status === 'open';
      query = query.where('status', '=', sql.lit('open')).where('due_date', onTime ? '>=' : '<', p.today);
    } else if (shape.status) query = query.where('status', '=', p.status);
    if (shape.owner) query = query.where('owner_entity_id', '=', p.owner);
    if (shape.proposal) query = query.where('proposal_id', '=', p.proposal);
    if (shape.after) {
      const key = (eb: ExpressionBuilder<Database, 'action_items'>) =>
        eb(eb.refTuple('due_date', 'seq'), '>', eb.tuple(p.afterDueDate, p.afterSeq));
      query = query.where(key);
    }
    return query.orderBy('due_date').orderBy('seq').limit(p.limit);
  });
}

/**
 * A group's action items by due date, filtered: one statement per combination of filters, each compiled and
 * prepared the first time it is asked for (there are at most 80).
 */
export function listStatement(sqlite: Sqlite): (query: ActionItemQuery) => Selectable<ActionItemsTable>[] {
  const prepared = new Map<string, ReturnType<typeof build>>();
  return (query) => {
    const shape: Shape = {
      includeMembers: query.includeMembers,
      status: query.status,
      owner: Boolean(query.owner),
      proposal: Boolean(query.proposal),
      after: query.after !== undefined,
    };
    const key = JSON.stringify(shape);
    let statement = prepared.get(key);
    if (!statement) {
      statement = build(sqlite, shape);
      prepared.set(key, statement);
    }
    return statement.all({
      groupId: query.groupId,
      today: query.today,
      status: query.status === undefined || query.status === 'overdue' ? 'open' : query.status,
      owner: query.owner ?? '',
      proposal: query.proposal ?? '',
      afterDueDate: query.after?.dueDate ?? '',
      afterSeq: query.after?.seq ?? 0,
      limit: query.limit ?? -1,
    });
  };
}
