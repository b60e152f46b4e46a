import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { ACTION_ITEM_EVENT_TYPES, ActionItemEvent } from './events';

/** Folds action item events into the item views and their step-by-step history. */
export function actionItemsProjection(sqlite: Sqlite): Projection {
  const insert = sqlite.prepare(
    `INSERT INTO action_items (id, group_id, visibility, seq, title, owner_entity_id, due_date, proposal_id, status, percent, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, ?)`,
  );
  const touch = sqlite.prepare('UPDATE action_items SET version = ?, updated_at = ? WHERE id = ?');
  const setPercent = sqlite.prepare('UPDATE action_items SET percent = ? WHERE id = ?');
  const setStatus = sqlite.prepare('UPDATE action_items SET status = ? WHERE id = ?');
  const setDueDate = sqlite.prepare('UPDATE action_items SET due_date = ? WHERE id = ?');
  const step = sqlite.prepare(
    `INSERT INTO action_item_history (action_item_id, version, position, type, entity_id, person, role, at, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    name: 'action-items',
    tables: ['action_item_history', 'action_items'],
    rebuildTypes: ACTION_ITEM_EVENT_TYPES,
    apply(stored: StoredEvent) {
      if (!ACTION_ITEM_EVENT_TYPES.has(stored.type)) return;
      const event = ActionItemEvent.parse({ type: stored.type, data: stored.data });
      const { actionItemId: id, groupId, visibility, ...detail } = event.data;
      const at = stored.recordedAt;
      const { actor } = stored.metadata;
      step.run(
        id,
        stored.version,
        stored.position,
        event.type,
        actor.entityId,
        actor.person,
        actor.role,
        at,
        JSON.stringify(detail),
      );
      switch (event.type) {
        case 'ActionItemOpened': {
          const { title, ownerEntityId, dueDate, proposalId } = event.data;
          insert.run(
            id,
            groupId,
            visibility,
            stored.position,
            title,
            ownerEntityId,
            dueDate,
            proposalId,
            stored.version,
            at,
            at,
          );
          return;
        }
        case 'ActionItemProgressed':
          setPercent.run(event.data.percent, id);
          break;
        case 'ActionItemCompleted':
          setStatus.run('done', id);
          break;
        case 'ActionItemReopened':
          setStatus.run('open', id);
          break;
        case 'ActionItemCancelled':
          setStatus.run('cancelled', id);
          break;
        case 'ActionItemDueDateChanged':
          setDueDate.run(event.data.dueDate, id);
          break;
      }
      touch.run(stored.version, at, id);
    },
  };
}
