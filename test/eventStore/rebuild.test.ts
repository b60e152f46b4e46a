import { describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/eventStore/projections';
import { createTestApp } from '../support/app';

function snapshot(sqlite: import('better-sqlite3').Database, tables: readonly string[]) {
  return Object.fromEntries(tables.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
}

describe('rebuild', () => {
  it('gives views identical to the inline ones, with progress reported', async () => {
    const t = await createTestApp();
    const sec = await t.token('secretariat');
    await t.token('delegate', 'europol');
    const headers = { ...t.auth(sec), 'content-type': 'application/json' };
    await t.app.inject({ method: 'POST', url: '/groups/strategic/chairs', headers, payload: { entityId: 'europol' } });
    await t.app.inject({ method: 'DELETE', url: '/groups/operational/participants/sco', headers });
    const tables = t.runtime.projections.flatMap((p) => p.tables);
    const before = snapshot(t.runtime.db.sqlite, tables);
    const progress: number[] = [];
    const result = rebuildProjections(t.runtime.db.sqlite, t.runtime.projections, (p) => progress.push(p.position));
    expect(result.events).toBe(t.runtime.store.reader.head().position);
    expect(progress.at(-1)).toBe(result.events);
    expect(snapshot(t.runtime.db.sqlite, tables)).toEqual(before);
    await t.close();
  });
});
