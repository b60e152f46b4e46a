import { expect } from 'vitest';
import { rebuildProjections } from '../../src/eventStore/projections';
import type { Runtime } from '../../src/runtime';

/**
 * Every view table, row by row, in a stable order; a table of the search index (which keeps no text) as
 * every token it holds, with its row, column and offset.
 */
export function viewSnapshot(runtime: Pick<Runtime, 'db' | 'projections' | 'search'>): Record<string, unknown[]> {
  const sqlite = runtime.db.sqlite;
  runtime.search.catchUp();
  const tables = runtime.projections.flatMap((projection) => projection.tables);
  return Object.fromEntries(
    tables.map((table) => {
      const definition =
        sqlite.prepare<[string], string>('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table) ?? '';
      if (!/USING fts5/i.test(definition)) return [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()];
      sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${table}_tokens USING fts5vocab(main, ${table}, instance)`);
      return [table, sqlite.prepare(`SELECT doc, col, offset, term FROM temp.${table}_tokens ORDER BY 1, 2, 3`).all()];
    }),
  );
}

/** The views (kept inline, and the search index once it has caught up) must be exactly what a rebuild from the log gives. */
export function expectViewsEqualRebuild(runtime: Pick<Runtime, 'db' | 'projections' | 'search'>): void {
  const live = viewSnapshot(runtime);
  rebuildProjections(runtime.db.sqlite, runtime.projections);
  expect(viewSnapshot(runtime)).toEqual(live);
}
