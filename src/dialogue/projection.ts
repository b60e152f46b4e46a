import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { viewGeneration } from '../eventStore/viewGeneration';
import { DialogueEvent } from './events';

const HANDLED = new Set<string>(DialogueEvent.options.map((option) => option.shape.type.value));

/** Folds reference-data events into entities, groups, participants and chairs. */
export function dialogueProjection(sqlite: Sqlite): Projection {
  const insertEntity = sqlite.prepare('INSERT OR REPLACE INTO entities (id, name, kind) VALUES (?, ?, ?)');
  const insertGroup = sqlite.prepare('INSERT OR REPLACE INTO groups (id, name) VALUES (?, ?)');
  const addParticipant = sqlite.prepare('INSERT OR IGNORE INTO group_participants (group_id, entity_id) VALUES (?, ?)');
  const removeParticipant = sqlite.prepare('DELETE FROM group_participants WHERE group_id = ? AND entity_id = ?');
  const addChair = sqlite.prepare('INSERT OR IGNORE INTO group_chairs (group_id, entity_id) VALUES (?, ?)');
  const removeChair = sqlite.prepare('DELETE FROM group_chairs WHERE group_id = ? AND entity_id = ?');
  const generation = viewGeneration(sqlite);
  return {
    name: 'dialogue',
    tables: ['group_chairs', 'group_participants', 'groups', 'entities'],
    rebuildTypes: HANDLED,
    apply(stored: StoredEvent) {
      if (!HANDLED.has(stored.type)) return;
      // Participation and actors kept in memory are read again.
      generation.changed();
      const event = DialogueEvent.parse({ type: stored.type, data: stored.data });
      switch (event.type) {
        case 'EntityRegistered':
          insertEntity.run(event.data.entityId, event.data.name, event.data.kind);
          return;
        case 'GroupFormed':
          insertGroup.run(event.data.groupId, event.data.name);
          return;
        case 'ParticipantAdded':
          addParticipant.run(event.data.groupId, event.data.entityId);
          return;
        case 'ParticipantRemoved':
          removeParticipant.run(event.data.groupId, event.data.entityId);
          removeChair.run(event.data.groupId, event.data.entityId);
          return;
        case 'ChairAppointed':
          addChair.run(event.data.groupId, event.data.entityId);
          return;
        case 'ChairRemoved':
          removeChair.run(event.data.groupId, event.data.entityId);
          return;
      }
    },
  };
}
