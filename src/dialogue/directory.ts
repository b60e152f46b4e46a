import { sql } from 'kysely';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import { KeptViews, type ViewGeneration } from '../eventStore/viewGeneration';
import type { EntityKind } from './events';

export type EntityRow = { id: string; name: string; kind: EntityKind };

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
function statements(sqlite: Sqlite) {
  return {
    entity: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('entities').select(['id', 'name', 'kind']).where('id', '=', p.id),
    ),
    entities: prepare(sqlite, (db) => db.selectFrom('entities').select(['id', 'name', 'kind']).orderBy('id')),
    group: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('groups').select(['id', 'name']).where('id', '=', p.id),
    ),
    participates: prepare(sqlite, (db, p: Params<{ groupId: string; entityId: string }>) =>
      db
        .selectFrom('group_participants')
        .select(sql.lit(1).as('one'))
        .where('group_id', '=', p.groupId)
        .where('entity_id', '=', p.entityId),
    ),
    // Where the caller takes part and what it chairs, in one statement per command (docs/performance.md).
    participation: prepare(sqlite, (db, p: Params<{ entityId: string }>) =>
      db
        .selectFrom('group_participants as p')
        .select((eb) => [
          'p.group_id',
          eb
            .exists(
              eb
                .selectFrom('group_chairs as c')
                .select(sql.lit(1).as('one'))
                .whereRef('c.group_id', '=', 'p.group_id')
                .whereRef('c.entity_id', '=', 'p.entity_id'),
            )
            .as('chair'),
        ])
        .where('p.entity_id', '=', p.entityId)
        .orderBy('p.group_id'),
    ),
  };
}

/**
 * Synchronous look-ups of the reference-data views, used on every request to authorise; they always reflect
 * the last commit. Where an entity takes part, read for every command, is kept for as long as the view
 * generation stands: a change of participants or chairs, by this process or another, moves it (see
 * ViewGeneration).
 */
export class Directory {
  private readonly run;
  private readonly participations = new KeptViews<string, Participation>(KEPT_ENTITIES);

  constructor(
    sqlite: Sqlite,
    private readonly generation: ViewGeneration,
  ) {
    this.run = statements(sqlite);
  }

  entity(id: string): EntityRow | undefined {
    return this.run.entity.get({ id });
  }

  entities(): EntityRow[] {
    return this.run.entities.all();
  }

  group(id: string): { id: string; name: string } | undefined {
    return this.run.group.get({ id });
  }

  participates(groupId: string, entityId: string): boolean {
    return this.run.participates.get({ groupId, entityId }) !== undefined;
  }

  /**
   * The groups an entity participates in, each with whether it chairs it (one chairs only where it takes
   * part), as of a view generation (a request's, or the current one).
   */
  participationOf(entityId: string, generation = this.generation.check()): Participation {
    let participation = this.participations.get(entityId, generation);
    if (!participation) {
      participation = Object.freeze(
        this.run.participation
          .all({ entityId })
          .map((row) => Object.freeze({ groupId: row.group_id, chair: row.chair === 1 })),
      );
      this.participations.set(entityId, participation);
    }
    return participation;
  }
}
