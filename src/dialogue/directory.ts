import type { Sqlite } from '../eventStore/database';
import { KeptViews, type ViewGeneration, viewGeneration } from '../eventStore/viewGeneration';
import type { EntityKind } from './events';

export interface EntityRow {
  id: string;
  name: string;
  kind: EntityKind;
}

/** Most entities whose participation is kept (they are reference data: a few dozen). */
const KEPT_ENTITIES = 1_000;

/** Where an entity takes part: each group, and whether it chairs it. */
export type Participation = ReadonlyArray<Readonly<{ groupId: string; chair: boolean }>>;

/**
 * Synchronous look-ups of the reference-data views, used on every request to authorise. Prepared
 * statements against indexed tables answer in microseconds, and always reflect the last commit. Where an
 * entity takes part, read for every command, is kept for as long as the view generation stands: a
 * change of participants or chairs, by this process or another, moves it (see ViewGeneration).
 */
export class Directory {
  private readonly entityStmt;
  private readonly entitiesStmt;
  private readonly groupStmt;
  private readonly participatesStmt;
  private readonly participationStmt;
  private readonly generation: ViewGeneration;
  private readonly participations = new KeptViews<string, Participation>(KEPT_ENTITIES);

  constructor(sqlite: Sqlite) {
    this.generation = viewGeneration(sqlite);
    this.entityStmt = sqlite.prepare<[string], EntityRow>('SELECT id, name, kind FROM entities WHERE id = ?');
    this.entitiesStmt = sqlite.prepare<[], EntityRow>('SELECT id, name, kind FROM entities ORDER BY id');
    this.groupStmt = sqlite.prepare<[string], { id: string; name: string }>('SELECT id, name FROM groups WHERE id = ?');
    this.participatesStmt = sqlite.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM group_participants WHERE group_id = ? AND entity_id = ?',
    );
    // One statement per command for where the caller takes part and what it chairs (profiled: each
    // statement on a view pays for its own read transaction, and this one ran once per group).
    this.participationStmt = sqlite
      .prepare<[string], [string, number]>(
        `SELECT p.group_id, EXISTS (SELECT 1 FROM group_chairs c WHERE c.group_id = p.group_id AND c.entity_id = p.entity_id)
           FROM group_participants p WHERE p.entity_id = ? ORDER BY p.group_id`,
      )
      .raw(true);
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

  /**
   * The groups an entity participates in, each with whether it chairs it (one chairs only where it takes
   * part), as of a view generation (a request's, or the current one).
   */
  participationOf(entityId: string, generation = this.generation.check()): Participation {
    let participation = this.participations.get(entityId, generation);
    if (!participation) {
      participation = Object.freeze(
        this.participationStmt.all(entityId).map(([groupId, chair]) => Object.freeze({ groupId, chair: chair === 1 })),
      );
      this.participations.set(entityId, participation);
    }
    return participation;
  }
}
