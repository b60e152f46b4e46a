import { sql } from 'kysely';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from './database';
import type { ViewGeneration } from './viewGeneration';
import { EventReader } from './read';
import { REPLAY_COLUMNS, REST_COLUMNS, ReplayedEvent } from './replayedEvent';
import { rawRows } from './rawRows';
import type { StoredEvent } from './types';

/**
 * A view kept inline: `apply` runs inside the append's transaction (so the view never lags the log) and
 * again, event by event, when the views are rebuilt. It must be synchronous and deterministic: everything
 * it needs is in the event (time comes from `recordedAt`, never from a clock).
 */
export interface Projection {
  name: string;
  /** Tables this projection owns, emptied before a rebuild (children before parents). */
  tables: readonly string[];
  apply(event: StoredEvent): void;
  /**
   * Optional rebuild hooks, called inside the rebuild's transaction: `beginRebuild` after the tables are
   * emptied, with the head the rebuild replays to, `endRebuild` after the last event. Between them `apply`
   * may take shortcuts that are only sound for a full replay of the log (events already validated when
   * appended; work deferred to one bulk pass at the end, or to the end of each page: see `endRebuildPage`),
   * as long as the views end up exactly as the inline ones.
   */
  beginRebuild?(head: number): void;
  /**
   * Rebuild only: called after each page of events has been applied (and before `endRebuild`). A projection
   * that accumulates changes in memory during a page (a row's counters moved by many events) writes them
   * here, so that memory stays bounded by a page and each touched row is written once per page. The page
   * held the log's positions `after` < p <= `until`.
   */
  endRebuildPage?(after: number, until: number): void;
  /** `completed` is false when the rebuild failed (its transaction is rolled back): only reset state then. */
  endRebuild?(completed: boolean): void;
  /**
   * Optional, outside the rebuild's transaction: `prepareRebuild` just before it (a database may be attached
   * there, which SQLite refuses inside a transaction), `finishRebuild` just after it, whether it committed,
   * failed or never began.
   */
  prepareRebuild?(): void;
  finishRebuild?(): void;
  /**
   * Rebuild only, optional: the event types `apply` acts on. During a rebuild the other events are not
   * given to it, and the data of an event no projection acts on is not read with the page (nor the event at
   * all when every projection says what it acts on). Without it, every event is given to `apply`.
   *
   * During a rebuild the events given to `apply` are read lazily (see `ReplayedEvent`): read their fields,
   * do not spread them.
   */
  readonly rebuildTypes?: ReadonlySet<string>;
  /**
   * Rebuild only, optional, with `rebuildTypes`: those of its types whose data `apply` does not read during
   * a rebuild (a projection that writes their rows from the log itself in `endRebuildPage`). Unless another
   * projection reads it, their data is then not read with the page (it is still read by position if asked for).
   */
  readonly rebuildDataUnread?: ReadonlySet<string>;
}

/** Makes a projection over a connection; `generation` is the connection's, moved when reference data changes. */
export type ProjectionFactory = (sqlite: Sqlite, generation: ViewGeneration) => Projection;

export interface RebuildProgress {
  position: number;
  head: number;
  elapsedMs: number;
}

/** Events per page of a rebuild: what a projection may hold in memory before `endRebuildPage`. */
const REBUILD_PAGE = 5_000;

/**
 * FTS5 settings for the rebuild of an FTS5 table, and FTS5's defaults they are set back to when it ends: a
 * table filled in bulk buffers larger segments and does not merge them while it is filled (docs/performance.md).
 */
export const FTS5_REBUILD = { hashsize: 16 * 1024 * 1024, automerge: 0 };
const FTS5_DEFAULTS = { hashsize: 1024 * 1024, automerge: 4 };

const FTS5_DEFINITION = /\bUSING\s+fts5\s*\(/i;

/**
 * `DELETE FROM` an FTS5 table deletes row by row, re-tokenising every row to write its delete markers, so a
 * virtual table is dropped and created again from its own stored definition, in the same transaction (its
 * rows are re-inserted with explicit rowids: what it holds afterwards is the same). Plain tables keep
 * `DELETE`, which SQLite truncates in one step. Returns whether the table is an FTS5 table.
 */
function emptyTable(sqlite: Sqlite, table: string, definition: string | undefined): boolean {
  // Raw SQL: DDL, and tables named at run time (the search index's FTS5 tables are not in `Database`).
  if (definition && /^CREATE VIRTUAL TABLE/i.test(definition)) {
    sqlite.prepare(`DROP TABLE ${table}`).run();
    sqlite.exec(definition);
    return FTS5_DEFINITION.test(definition);
  }
  sqlite.prepare(`DELETE FROM ${table}`).run();
  return false;
}

/** A table's stored definition (`CREATE ...`), if it exists. */
export function tableDefinition(sqlite: Sqlite, table: string): string | undefined {
  // Raw SQL: `sqlite_master` is SQLite's catalogue, not a table of `Database`.
  return (
    sqlite
      .prepare<[string], { sql: string | null }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table)?.sql ?? undefined
  );
}

/** The FTS5 tables among the projections' tables. */
function fts5Tables(sqlite: Sqlite, projections: readonly Projection[]): string[] {
  return projections
    .flatMap((projection) => projection.tables)
    .filter((table) => FTS5_DEFINITION.test(tableDefinition(sqlite, table) ?? ''));
}

/**
 * The statements that set FTS5 configuration options of a table (raw SQL: FTS5's configuration insert;
 * integer literals: FTS5 refuses a bound real).
 */
export function fts5Settings(table: string, options: Record<string, number> = FTS5_REBUILD): string[] {
  return Object.entries(options).map(
    ([key, value]) => `INSERT INTO ${table} (${table}, rank) VALUES ('${key}', ${Math.trunc(value)})`,
  );
}

/** Sets FTS5 configuration options of a table: the rebuild's, unless others are given. */
export function configureFts5(sqlite: Sqlite, table: string, options: Record<string, number> = FTS5_REBUILD): void {
  for (const statement of fts5Settings(table, options)) sqlite.exec(statement);
}

export interface RebuildOptions {
  /** Events read and applied per step (memory is bounded by a page). */
  pageSize?: number;
}

/**
 * Empties every view and folds the whole log into them again, reading the log a page at a time so that
 * memory stays flat on a large log. The log itself is only read.
 */
export function rebuildProjections(
  sqlite: Sqlite,
  projections: readonly Projection[],
  onProgress?: (progress: RebuildProgress) => void,
  options: RebuildOptions = {},
): { events: number; elapsedMs: number } {
  const reader = new EventReader(sqlite);
  const pageSize = Math.max(1, Math.trunc(options.pageSize ?? REBUILD_PAGE));
  const started = performance.now();
  let head = 0;
  let count = 0;
  const statements = replayStatements(sqlite, projections);
  // One transaction: readers in other processes see the old views or the new ones, never half of each.
  // A larger page cache for its duration, so that the views' pages are not spilled and read back.
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma('cache_size = -32768');
  // Read before the transaction, so that its first statement writes (see below).
  const tables = projections.flatMap((projection) =>
    projection.tables.map((table) => [table, tableDefinition(sqlite, table)] as const),
  );
  try {
    for (const projection of projections) projection.prepareRebuild?.();
    // Deferred, not immediate: an immediate transaction would also lock what a projection attached in
    // `prepareRebuild` (see SearchBuild). Its first statement empties a view, a write, so the write lock is
    // still taken before anything is read, and the head is read under it: no commit can fall between.
    // With no view to empty (nothing attached either), it is immediate.
    const rebuild = sqlite.transaction(() => {
      const fts5: string[] = [];
      for (const [table, definition] of tables) if (emptyTable(sqlite, table, definition)) fts5.push(table);
      for (const table of fts5) configureFts5(sqlite, table);
      head = reader.head().position;
      for (const projection of projections) projection.beginRebuild?.(head);
      try {
        count = replayPages(projections, statements, { head, pageSize, started, onProgress });
      } catch (error) {
        for (const projection of projections) projection.endRebuild?.(false);
        throw error;
      }
      for (const projection of projections) projection.endRebuild?.(true);
      // Read again: a projection may have created tables of its own during the rebuild.
      for (const table of fts5Tables(sqlite, projections)) configureFts5(sqlite, table, FTS5_DEFAULTS);
    });
    if (tables.length > 0) rebuild.deferred();
    else rebuild.immediate();
  } finally {
    for (const projection of projections) projection.finishRebuild?.();
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
  return { events: count, elapsedMs: performance.now() - started };
}

/**
 * The statements a replay reads the log with. Events no projection acts on are not read (when every
 * projection says what it acts on), and the data of an event is read with the page only when some
 * projection says it acts on its type and reads its data.
 */
function replayStatements(sqlite: Sqlite, projections: readonly Projection[]) {
  const wanted = new Set<string>();
  const withData = new Set<string>();
  let all = false;
  for (const projection of projections) {
    if (!projection.rebuildTypes) {
      all = true;
      continue;
    }
    for (const type of projection.rebuildTypes) {
      wanted.add(type);
      if (!projection.rebuildDataUnread?.has(type)) withData.add(type);
    }
  }
  // Type lists inlined as literals: a statement prepared for one replay, its lists known before it runs.
  const literals = (types: Set<string>) => (types.size > 0 ? [...types].map((type) => sql.lit(type)) : [sql.lit(null)]);
  const pageOf = rawRows(
    prepare(sqlite, (db, p: Params<{ after: number; until: number }>) =>
      db
        .selectFrom('events')
        // REPLAY_COLUMNS, in its order (raw rows are read by index).
        .select((eb) => [
          'position',
          'version',
          'type',
          'recorded_at',
          eb.case().when('type', 'in', literals(withData)).then(eb.ref('data')).end().as('data'),
          'stream_id',
        ])
        .where('position', '>', p.after)
        .where('position', '<=', p.until)
        .$if(!all, (query) => query.where('type', 'in', literals(wanted)))
        .orderBy('position'),
    ),
    REPLAY_COLUMNS,
  );
  const restOf = rawRows(
    prepare(sqlite, (db, p: Params<{ position: number }>) =>
      db.selectFrom('events').select(REST_COLUMNS).where('position', '=', p.position),
    ),
    REST_COLUMNS,
  );
  return { pageOf, restOf };
}

/**
 * Replays the log up to `head` into the projections, a page of positions at a time; returns the number of
 * positions replayed.
 */
function replayPages(
  projections: readonly Projection[],
  { pageOf, restOf }: ReturnType<typeof replayStatements>,
  plan: {
    head: number;
    pageSize: number;
    started: number;
    onProgress: ((progress: RebuildProgress) => void) | undefined;
  },
): number {
  // The projections each type is given to, in their order (those without `rebuildTypes` get every type).
  const byType = new Map<string, Projection[]>();
  const receivers = (type: string): Projection[] => {
    let list = byType.get(type);
    if (!list) {
      list = projections.filter(
        (projection) => projection.rebuildTypes === undefined || projection.rebuildTypes.has(type),
      );
      byType.set(type, list);
    }
    return list;
  };
  const paged = projections.filter((projection) => projection.endRebuildPage);
  const { head, pageSize, started, onProgress } = plan;
  let count = 0;
  // Positions are consecutive from 1 (the schema refuses gaps), so pages are ranges of positions.
  for (let after = 0; after < head; ) {
    const until = Math.min(head, after + pageSize);
    for (const row of pageOf.all({ after, until })) {
      const event = new ReplayedEvent(row, restOf);
      for (const projection of receivers(row[2])) projection.apply(event);
    }
    for (const projection of paged) projection.endRebuildPage?.(after, until);
    count += until - after;
    after = until;
    onProgress?.({ position: after, head, elapsedMs: performance.now() - started });
  }
  return count;
}
