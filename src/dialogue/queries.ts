import type { DatabaseHandle } from '../eventStore/database';

export type GroupsTables = {
  entities: { id: string; name: string; kind: 'member' | 'observer' };
  groups: { id: string; name: string };
  group_participants: { group_id: string; entity_id: string };
  group_chairs: { group_id: string; entity_id: string };
};

export async function listEntities(db: DatabaseHandle) {
  return db.kysely
    .withTables<GroupsTables>()
    .selectFrom('entities')
    .select(['id', 'name', 'kind'])
    .orderBy('id')
    .execute();
}

export interface GroupView {
  id: string;
  name: string;
  chairs: string[];
  participants: string[];
}

export async function listGroups(db: DatabaseHandle): Promise<GroupView[]> {
  const k = db.kysely.withTables<GroupsTables>();
  const [groups, participants, chairs] = await Promise.all([
    k.selectFrom('groups').select(['id', 'name']).orderBy('id').execute(),
    k.selectFrom('group_participants').select(['group_id', 'entity_id']).orderBy('entity_id').execute(),
    k.selectFrom('group_chairs').select(['group_id', 'entity_id']).orderBy('entity_id').execute(),
  ]);
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    chairs: chairs.filter((row) => row.group_id === group.id).map((row) => row.entity_id),
    participants: participants.filter((row) => row.group_id === group.id).map((row) => row.entity_id),
  }));
}
