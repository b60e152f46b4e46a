import { sql } from 'kysely';
import type { ActionItemHistoryTable, ActionItemsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { ACTION_ITEM_EVENT_TYPES, ActionItemEvent } from './events';

type Status = ActionItemsTable['status'];

type Opened = {
  id: string;
  groupId: string;
  visibility: ActionItemsTable['visibility'];
  seq: number;
  title: string;
  ownerEntityId: string;
  dueDate: string;
  proposalId: string | null;
  version: number;
  at: string;
};

type Step = Omit<ActionItemHistoryTable, 'action_item_id' | 'entity_id'> & { id: string; entityId: string | null };

/** The statements the projection runs, prepared once when the runtime creates it. */
function statements(sqlite: Sqlite) {
  return {
    insert: prepare(sqlite, (db, p: Params<Opened>) =>
      db.insertInto('action_items').values({
        id: p.id,
        group_id: p.groupId,
        visibility: p.visibility,
        seq: p.seq,
        title: p.title,
        owner_entity_id: p.ownerEntityId,
        due_date: p.dueDate,
        proposal_id: p.proposalId,
        status: sql.lit('open'),
        percent: sql.lit(0),
        version: p.version,
        created_at: p.at,
        updated_at: p.at,
      }),
    ),
    touch: prepare(sqlite, (db, p: Params<{ id: string; version: number; at: string }>) =>
      db.updateTable('action_items').set({ version: p.version, updated_at: p.at }).where('id', '=', p.id),
    ),
    setPercent: prepare(sqlite, (db, p: Params<{ id: string; percent: number }>) =>
      db.updateTable('action_items').set({ percent: p.percent }).where('id', '=', p.id),
    ),
    setStatus: prepare(sqlite, (db, p: Params<{ id: string; status: Status }>) =>
      db.updateTable('action_items').set({ status: p.status }).where('id', '=', p.id),
    ),
    setDueDate: prepare(sqlite, (db, p: Params<{ id: string; dueDate: string }>) =>
      db.updateTable('action_items').set({ due_date: p.dueDate }).where('id', '=', p.id),
    ),
    setOverdueFor: prepare(sqlite, (db, p: Params<{ id: string; dueDate: string }>) =>
      db.updateTable('action_items').set({ overdue_for: p.dueDate }).where('id', '=', p.id),
    ),
    step: prepare(sqlite, (db, p: Params<Step>) =>
      db.insertInto('action_item_history').values({
        action_item_id: p.id,
        version: p.version,
        position: p.position,
        type: p.type,
        entity_id: p.entityId,
        person: p.person,
        role: p.role,
        at: p.at,
        detail: p.detail,
      }),
    ),
  };
}

/** The status each transition leaves an item in. */
const STATUS_AFTER: Partial<Record<ActionItemEvent['type'], Status>> = {
  ActionItemCompleted: 'done',
  ActionItemReopened: 'open',
  ActionItemCancelled: 'cancelled',
};

/** Folds action item events into the item views and their step-by-step history. */
export function actionItemsProjection(sqlite: Sqlite): Projection {
  const run = statements(sqlite);

  /** Every event is a step of the item's history, with what it says besides the item it names. */
  const recordStep = (stored: StoredEvent, event: ActionItemEvent) => {
    const { actionItemId: id, groupId, visibility, ...detail } = event.data;
    const { entityId, person, role } = stored.metadata.actor;
    const { version, position, recordedAt: at } = stored;
    run.step.run({
      id,
      version,
      position,
      type: event.type,
      entityId,
      person,
      role,
      at,
      detail: JSON.stringify(detail),
    });
  };

  /** A transition changes one column of the item, then its version and time. */
  const transition = (stored: StoredEvent, event: Exclude<ActionItemEvent, { type: 'ActionItemOpened' }>) => {
    const id = event.data.actionItemId;
    const status = STATUS_AFTER[event.type];
    if (status) run.setStatus.run({ id, status });
    else if (event.type === 'ActionItemProgressed') run.setPercent.run({ id, percent: event.data.percent });
    else if (event.type === 'ActionItemDueDateChanged') run.setDueDate.run({ id, dueDate: event.data.dueDate });
    else if (event.type === 'ActionItemBecameOverdue') run.setOverdueFor.run({ id, dueDate: event.data.dueDate });
    run.touch.run({ id, version: stored.version, at: stored.recordedAt });
  };

  return {
    name: 'action-items',
    tables: ['action_item_history', 'action_items'],
    rebuildTypes: ACTION_ITEM_EVENT_TYPES,
    apply(stored: StoredEvent) {
      if (!ACTION_ITEM_EVENT_TYPES.has(stored.type)) return;
      const event = ActionItemEvent.parse({ type: stored.type, data: stored.data });
      recordStep(stored, event);
      if (event.type !== 'ActionItemOpened') return transition(stored, event);
      const { actionItemId: id, ...data } = event.data;
      run.insert.run({ id, ...data, seq: stored.position, version: stored.version, at: stored.recordedAt });
    },
  };
}
