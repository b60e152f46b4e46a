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
}

export type ProjectionFactory = (sqlite: Sqlite) => Projection;

export interface RebuildProgress {
  position: number;
  head: number;
  elapsedMs: number;
}

const REBUILD_PAGE = 5_000;

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
  sqlite.transaction(() => {
    for (const projection of projections) {
      for (const table of projection.tables) sqlite.prepare(`DELETE FROM ${table}`).run();
    }
    let after = 0;
    for (;;) {
      const page = reader.readPage(after, REBUILD_PAGE);
      if (page.length === 0) break;
      for (const event of page) for (const projection of projections) projection.apply(event);
      count += page.length;
      after = page[page.length - 1]?.position ?? after;
      onProgress?.({ position: after, head, elapsedMs: performance.now() - started });
    }
  }).immediate();
  return { events: count, elapsedMs: performance.now() - started };
}
