import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/eventStore/database';
import { MIGRATIONS } from '../../migrations/index';
import { runTs } from '../support/cli';

const tempDb = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-mig-')), 'd.sqlite');

describe('migrations', () => {
  it('applies every migration once; running them again is a no-op', async () => {
    const url = tempDb();
    const db = await openDatabase({ url });
    expect(await migrateToLatest(db.kysely)).toEqual([]);
    await db.close();
    const again = await openDatabase({ url });
    const applied = again.sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>;
    expect(applied.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS).sort());
    await again.close();
  });

  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout by default', async () => {
    const db = await openDatabase({ url: tempDb() });
    expect(db.settings).toEqual({ journalMode: 'wal', synchronous: 'FULL', foreignKeys: true, busyTimeoutMs: 5000 });
    await db.close();
  });

  it('lets two processes start on a new database at once: each migration and the reference data recorded once', async () => {
    const url = tempDb();
    const env = { DATABASE_URL: url };
    const [a, b] = await Promise.all([
      runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'First'], env),
      runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'Second'], env),
    ]);
    expect(a.stderr + b.stderr).not.toMatch(/error|failed/i);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sqlite = new BetterSqlite3(url, { readonly: true });
    const types = (sqlite.prepare('SELECT type FROM events').all() as Array<{ type: string }>).map((r) => r.type);
    expect(types.filter((t) => t === 'EntityRegistered')).toHaveLength(11);
    expect(types.filter((t) => t === 'ParticipantAdded')).toHaveLength(22);
    expect(types.filter((t) => t === 'TokenIssued')).toHaveLength(2);
    const migrations = sqlite.prepare('SELECT COUNT(*) AS n FROM kysely_migration').get() as { n: number };
    expect(migrations.n).toBe(Object.keys(MIGRATIONS).length);
    sqlite.close();
  });

  it('refuses a database migrated by newer code', async () => {
    const url = tempDb();
    (await openDatabase({ url })).close();
    const sqlite = new BetterSqlite3(url);
    sqlite.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01')").run();
    sqlite.close();
    await expect(openDatabase({ url })).rejects.toThrow(/newer version/);
  });
});
