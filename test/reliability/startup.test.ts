import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLatestCheckpoint, writeCheckpointFile } from '../../src/audit/checkpoint';
import { durabilityProblem } from '../../src/startupGuards';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = {
  journalMode: 'wal',
  synchronous: 'FULL' as const,
  foreignKeys: true,
  busyTimeoutMs: 5000,
  walAutocheckpointPages: 10_000,
};

describe('start-up guards', () => {
  it('refuses a journal mode other than WAL, and synchronous=NORMAL unless asked for explicitly', () => {
    expect(durabilityProblem(settings, false, false)).toBeNull();
    expect(durabilityProblem({ ...settings, journalMode: 'delete' }, false, false)).toMatch(/not WAL/);
    expect(durabilityProblem({ ...settings, synchronous: 'NORMAL' }, false, false)).toMatch(
      /SQLITE_SYNCHRONOUS=NORMAL/,
    );
    expect(durabilityProblem({ ...settings, synchronous: 'NORMAL' }, false, true)).toBeNull();
    expect(durabilityProblem({ ...settings, journalMode: 'memory' }, true, false)).toBeNull();
  });

  it('refuses to start the server on a log whose recent chain does not verify, naming the position', async () => {
    const databaseUrl = path.join(dir, 'broken.sqlite');
    const t = await createTestApp({ databaseUrl });
    await t.token('delegate', 'europol');
    const head = t.runtime.store.reader.head().position;
    await t.close();
    const sqlite = new BetterSqlite3(databaseUrl);
    sqlite.exec('DROP TRIGGER events_refuse_update');
    sqlite.prepare("UPDATE events SET data = replace(data, 'europol', 'interpol') WHERE position = ?").run(head);
    sqlite.close();
    const before = head;
    const result = await runTs('src/server.ts', [], { DATABASE_URL: databaseUrl, PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`hash chain does not verify at position ${head}`);
    const after = new BetterSqlite3(databaseUrl, { readonly: true });
    expect(after.prepare('SELECT MAX(position) AS p FROM events').get()).toEqual({ p: before });
    after.close();
  }, 30_000);

  it('refuses to start when the log ends before its last signed checkpoint, and keeps the evidence', async () => {
    const databaseUrl = path.join(dir, 'cut.sqlite');
    const t = await createTestApp({ databaseUrl, env: { CHECKPOINT_EVERY_EVENTS: '1' } });
    await t.token('delegate', 'europol');
    await t.token('delegate', 'afripol');
    await new Promise((resolve) => setImmediate(resolve));
    const head = t.runtime.store.reader.head().position;
    await t.close();
    const latestFile = path.join(dir, 'checkpoints', 'latest.json');
    expect(JSON.parse(readFileSync(latestFile, 'utf8')).position).toBe(head);
    const sqlite = new BetterSqlite3(databaseUrl);
    sqlite.exec('DROP TRIGGER events_refuse_delete');
    sqlite.prepare('DELETE FROM events WHERE position = ?').run(head);
    sqlite.close();
    const result = await runTs('src/server.ts', [], { DATABASE_URL: databaseUrl, PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`before the signed checkpoint at position ${head}: its tail was cut`));
    expect(JSON.parse(readFileSync(latestFile, 'utf8')).position).toBe(head);
  }, 30_000);

  it('never writes a checkpoint file over one with another hash, nor moves latest.json back', () => {
    const folder = path.join(dir, 'cp-evidence');
    const signed = { position: 5, hash: 'a'.repeat(64), recordedAt: '2026-03-02T09:00:00.000Z', signature: 'x' };
    writeCheckpointFile(folder, signed);
    expect(() => writeCheckpointFile(folder, { ...signed, hash: 'b'.repeat(64) })).toThrow(/diverged/);
    expect(JSON.parse(readFileSync(path.join(folder, 'checkpoint-000000000005.json'), 'utf8')).hash).toBe(
      'a'.repeat(64),
    );
    expect(() => writeCheckpointFile(folder, { ...signed, position: 4 })).toThrow(/went backwards/);
    expect(readLatestCheckpoint(folder)?.position).toBe(5);
  });

  it('refuses to start on a database migrated by newer code', async () => {
    const databaseUrl = path.join(dir, 'newer.sqlite');
    const t = await createTestApp({ databaseUrl });
    await t.close();
    const sqlite = new BetterSqlite3(databaseUrl);
    sqlite
      .prepare(
        "INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')",
      )
      .run();
    sqlite.close();
    const result = await runTs('src/server.ts', [], { DATABASE_URL: databaseUrl, PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/migrated by a newer version/);
  }, 30_000);
});
