import { prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { Group } from './views';

function statements(sqlite: Sqlite) {
  return {
    groups: prepare(sqlite, (db) => db.selectFrom('groups').select(['id', 'name']).orderBy('id')),
    participants: prepare(sqlite, (db) =>
      db.selectFrom('group_participants').select(['group_id', 'entity_id']).orderBy('entity_id'),
    ),
    chairs: prepare(sqlite, (db) =>
      db.selectFrom('group_chairs').select(['group_id', 'entity_id']).orderBy('entity_id'),
    ),
  };
}

/** The working groups as `GET /groups` lists them, prepared once by the runtime (the entities are the directory's). */
export class DialogueQueries {
  private readonly run;

  constructor(sqlite: Sqlite) {
    this.run = statements(sqlite);
  }

  /** Every working group with its chairs and participants, each list by entity id. */
  groups(): Group[] {
    const groups = this.run.groups.all();
    const participants = this.run.participants.all();
    const chairs = this.run.chairs.all();
    return groups.map((group) => ({
      id: group.id,
      name: group.name,
      chairs: chairs.filter((row) => row.group_id === group.id).map((row) => row.entity_id),
      participants: participants.filter((row) => row.group_id === group.id).map((row) => row.entity_id),
    }));
  }
}
