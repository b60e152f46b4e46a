import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { DialogueEvent, type EntityKind } from './events';
import type { ViewGeneration } from '../eventStore/viewGeneration';

const HANDLED = new Set<string>(DialogueEvent.options.map((option) => option.shape.type.value));

type Membership = Params<{ groupId: string; entityId: string }>;

function statements(sqlite: Sqlite) {
  return {
    insertEntity: prepare(sqlite, (db, p: Params<{ id: string; name: string; kind: EntityKind }>) =>
      db.insertInto('entities').orReplace().values({ id: p.id, name: p.name, kind: p.kind }),
    ),
    insertGroup: prepare(sqlite, (db, p: Params<{ id: string; name: string }>) =>
      db.insertInto('groups').orReplace().values({ id: p.id, name: p.name }),
    ),
    addParticipant: prepare(sqlite, (db, p: Membership) =>
      db.insertInto('group_participants').orIgnore().values({ group_id: p.groupId, entity_id: p.entityId }),
    ),
    removeParticipant: prepare(sqlite, (db, p: Membership) =>
      db.deleteFrom('group_participants').where('group_id', '=', p.groupId).where('entity_id', '=', p.entityId),
    ),
    addChair: prepare(sqlite, (db, p: Membership) =>
      db.insertInto('group_chairs').orIgnore().values({ group_id: p.groupId, entity_id: p.entityId }),
    ),
    removeChair: prepare(sqlite, (db, p: Membership) =>
      db.deleteFrom('group_chairs').where('group_id', '=', p.groupId).where('entity_id', '=', p.entityId),
    ),
  };
}

/** Folds reference-data events into entities, groups, participants and chairs. */
export function dialogueProjection(sqlite: Sqlite, generation: ViewGeneration): Projection {
  const run = statements(sqlite);
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
          run.insertEntity.run({ id: event.data.entityId, name: event.data.name, kind: event.data.kind });
          return;
        case 'GroupFormed':
          run.insertGroup.run({ id: event.data.groupId, name: event.data.name });
          return;
        case 'ParticipantAdded':
          run.addParticipant.run(event.data);
          return;
        case 'ParticipantRemoved':
          // A participant that leaves stops chairing.
          run.removeParticipant.run(event.data);
          run.removeChair.run(event.data);
          return;
        case 'ChairAppointed':
          run.addChair.run(event.data);
          return;
        case 'ChairRemoved':
          run.removeChair.run(event.data);
          return;
      }
    },
  };
}
