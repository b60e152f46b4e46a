import type { Sqlite } from '../eventStore/database';
import type { EntityKind } from './events';

export interface EntityRow {
  id: string;
  name: string;
  kind: EntityKind;
}

/**
 * Synchronous look-ups of the reference-data views, used on every request to authorise. Prepared
 * statements against indexed tables answer in microseconds, and always reflect the last commit (a cache
 * could miss a change written by another process, such as the token CLI).
 */
export class Directory {
  private readonly entityStmt;
  private readonly entitiesStmt;
  private readonly groupStmt;
  private readonly participatesStmt;
  private readonly chairStmt;
  private readonly groupIdsOfStmt;

  constructor(sqlite: Sqlite) {
    this.entityStmt = sqlite.prepare<[string], EntityRow>('SELECT id, name, kind FROM entities WHERE id = ?');
    this.entitiesStmt = sqlite.prepare<[], EntityRow>('SELECT id, name, kind FROM entities ORDER BY id');
    this.groupStmt = sqlite.prepare<[string], { id: string; name: string }>('SELECT id, name FROM groups WHERE id = ?');
    this.participatesStmt = sqlite.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM group_participants WHERE group_id = ? AND entity_id = ?',
    );
    this.chairStmt = sqlite.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM group_chairs WHERE group_id = ? AND entity_id = ?',
    );
    this.groupIdsOfStmt = sqlite.prepare<[string], { group_id: string }>(
      'SELECT group_id FROM group_participants WHERE entity_id = ? ORDER BY group_id',
    );
  }

  entity(id: string): EntityRow | undefined {
    return this.entityStmt.get(id);
  }

  entities(): EntityRow[] {
    return this.entitiesStmt.all();
  }

  group(id: string): { id: string; name: string } | undefined {
    return this.groupStmt.get(id);
  }

  participates(groupId: string, entityId: string): boolean {
    return this.participatesStmt.get(groupId, entityId) !== undefined;
  }

  isChair(groupId: string, entityId: string): boolean {
    return this.chairStmt.get(groupId, entityId) !== undefined;
  }

  groupsOf(entityId: string): string[] {
    return this.groupIdsOfStmt.all(entityId).map((row) => row.group_id);
  }
}
