import { expect } from 'vitest';
import { rebuildProjections } from '../../src/eventStore/projections';
import type { Runtime } from '../../src/runtime';

/** Every view table, row by row (and the search index with its rowids), in a stable order. */
export function viewSnapshot(runtime: Pick<Runtime, 'db' | 'projections' | 'search'>): Record<string, unknown[]> {
  const sqlite = runtime.db.sqlite;
  runtime.search.catchUp();
  const tables = runtime.projections.flatMap((projection) => projection.tables);
  return Object.fromEntries(
    tables.map((table) => [table, sqlite.prepare(`SELECT ${table === 'proposal_search' ? 'rowid, ' : ''}* FROM ${table} ORDER BY 1, 2`).all()]),
  );
}

/** The views (kept inline, and the search index once it has caught up) must be exactly what a rebuild from the log gives. */
export function expectViewsEqualRebuild(runtime: Pick<Runtime, 'db' | 'projections' | 'search'>): void {
  const live = viewSnapshot(runtime);
  rebuildProjections(runtime.db.sqlite, runtime.projections);
  expect(viewSnapshot(runtime)).toEqual(live);
}
