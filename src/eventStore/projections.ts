import type { Sqlite } from './database';
import { EventReader } from './read';
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
   * emptied, `endRebuild` after the last event. Between them `apply` may take shortcuts that are only
   * sound for a full replay of the log (events already validated when appended; work deferred to one
   * bulk pass at the end), as long as the views end up exactly as the inline ones.
   */
  beginRebuild?(): void;
  /** `completed` is false when the rebuild failed (its transaction is rolled back): only reset state then. */
  endRebuild?(completed: boolean): void;
}

export type ProjectionFactory = (sqlite: Sqlite) => Projection;

export interface RebuildProgress {
  position: number;
  head: number;
  elapsedMs: number;
}

const REBUILD_PAGE = 10_000;

/**
 * `DELETE FROM` an FTS5 table deletes row by row, re-tokenising every row to write its delete markers
 * (profiled: most of the time spent emptying the views of a large log). A virtual table is therefore
 * dropped and created again from its own stored definition, in the same transaction; its rows are
 * re-inserted with explicit rowids, so what it holds afterwards is the same. Plain tables keep `DELETE`,
 * which SQLite already truncates in one step.
 */
function emptyTable(sqlite: Sqlite, table: string): void {
  const definition = sqlite
    .prepare<[string], { sql: string | null }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table)?.sql;
  if (definition && /^CREATE VIRTUAL TABLE/i.test(definition)) {
    sqlite.prepare(`DROP TABLE ${table}`).run();
    sqlite.exec(definition);
    return;
  }
  sqlite.prepare(`DELETE FROM ${table}`).run();
}

/**
 * Empties every view and folds the whole log into them again, reading the log a page at a time so that
 * memory stays flat on a large log. The log itself is only read.
 */
export function rebuildProjections(
  sqlite: Sqlite,
  projections: readonly Projection[],
  onProgress?: (progress: RebuildProgress) => void,
): { events: number; elapsedMs: number } {
  const reader = new EventReader(sqlite);
  const started = performance.now();
  const head = reader.head().position;
  let count = 0;
  // One transaction: readers in other processes see the old views or the new ones, never half of each.
  // A larger page cache for its duration, so that the views' pages are not spilled and read back.
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma('cache_size = -32768');
  try {
  sqlite.transaction(() => {
    for (const projection of projections) {
      for (const table of projection.tables) emptyTable(sqlite, table);
    }
    for (const projection of projections) projection.beginRebuild?.();
    try {
      replay();
    } catch (error) {
      for (const projection of projections) projection.endRebuild?.(false);
      throw error;
    }
    for (const projection of projections) projection.endRebuild?.(true);
  }).immediate();
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
  return { events: count, elapsedMs: performance.now() - started };

  function replay(): void {
    let after = 0;
    for (;;) {
      const page = reader.readPage(after, REBUILD_PAGE);
      if (page.length === 0) break;
      for (const event of page) for (const projection of projections) projection.apply(event);
      count += page.length;
      after = page[page.length - 1]?.position ?? after;
      onProgress?.({ position: after, head, elapsedMs: performance.now() - started });
    }
  }
}
