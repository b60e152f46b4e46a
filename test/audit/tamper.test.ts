import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../../src/eventStore/hash';
import { type EventRow, rowToEvent } from '../../src/eventStore/read';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';
import { client } from '../proposals/support';

let dir: string;
let pristine: string;
/** Positions of the scenario's four proposals (the last events of the log). */
let plans: number[];

/** A copy of the scenario's database, with the log's protective triggers dropped, as an attacker would. */
function tampered(name: string, change: (sqlite: Database.Database) => void): string {
  const file = path.join(dir, `${name}.sqlite`);
  copyFileSync(pristine, file);
  const sqlite = new Database(file);
  for (const { name: trigger } of sqlite
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
    .all()) {
    sqlite.exec(`DROP TRIGGER ${trigger}`);
  }
  change(sqlite);
  sqlite.close();
  return file;
}

const audit = (file: string, ...args: string[]) =>
  runTs('scripts/audit.ts', args, { DATABASE_URL: file, SIGNING_KEY_FILE: path.join(dir, 'key.pem') });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-audit-'));
  pristine = path.join(dir, 'pristine.sqlite');
  const t = await createTestApp({ databaseUrl: pristine });
  const api = client(t);
  const europol = await t.token('delegate', 'europol');
  for (let i = 0; i < 4; i += 1) await api.submit(europol, 'strategic', { title: `Plan ${i}` });
  await t.close();
  const sqlite = new Database(pristine);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  plans = sqlite
    .prepare<[], { position: number }>("SELECT position FROM events WHERE type = 'ProposalSubmitted' ORDER BY position")
    .all()
    .map((row) => row.position);
  sqlite.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit verify on a tampered database', () => {
  it('passes on the untouched log, printing the head', async () => {
    const result = await audit(pristine, 'verify');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: \d+ events, head position \d+ hash [0-9a-f]{64}/);
  });

  it('names the position of a changed row', async () => {
    const at = plans[1] as number;
    const file = tampered('changed', (sqlite) =>
      sqlite.prepare("UPDATE events SET data = replace(data, 'Plan 1', 'Plan X') WHERE position = ?").run(at),
    );
    const result = await audit(file, 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken at position ${at}: the hash does not match`);
  });

  it('names the position of a deleted row', async () => {
    const at = plans[1] as number;
    const file = tampered('deleted', (sqlite) => sqlite.prepare('DELETE FROM events WHERE position = ?').run(at));
    const result = await audit(file, 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`broken at position ${at}: .*missing`));
  });

  it('names the position of swapped rows', async () => {
    const file = tampered('swapped', (sqlite) => {
      const [a, b] = [plans[1] as number, plans[2] as number];
      sqlite.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
      sqlite.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
      sqlite.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
    });
    const result = await audit(file, 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken at position ${plans[1]}`);
  });
});

describe('audit verify on a row that is not even JSON', () => {
  it('names its position instead of crashing', async () => {
    const at = plans[2] as number;
    const file = tampered('notjson', (sqlite) =>
      sqlite.prepare("UPDATE events SET data = '{broken' WHERE position = ?").run(at),
    );
    const result = await audit(file, 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken at position ${at}: the stored data or metadata is not valid JSON`);
  });
});

describe('export and checkpoints', () => {
  it('round-trips an export through offline verification, which catches a flipped byte in the file', async () => {
    const exported = await audit(pristine, 'export');
    const file = path.join(dir, 'log.ndjson');
    writeFileSync(file, exported.stdout);
    expect((await audit(':memory:', 'verify', '--file', file)).code).toBe(0);
    const tail = exported.stdout.split('\n').slice(10).join('\n');
    const part = path.join(dir, 'part.ndjson');
    writeFileSync(part, tail);
    const partial = await audit(':memory:', 'verify', '--file', part);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain('the file starts at position 11; checking that range only');
    writeFileSync(file, exported.stdout.replace('Plan 2', 'Plan 3'));
    const broken = await audit(':memory:', 'verify', '--file', file);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/broken at position \d+/);
  });

  it('detects a cut tail and a fully recomputed chain against a signed checkpoint, and a foreign key', async () => {
    const made = await audit(pristine, 'checkpoint');
    expect(made.code).toBe(0);
    const checkpointFile = path.join(dir, 'cp.json');
    writeFileSync(checkpointFile, made.stdout);
    const checkpoint = JSON.parse(made.stdout) as { position: number };
    expect((await audit(pristine, 'verify', '--checkpoint', checkpointFile)).code).toBe(0);

    const cut = tampered('cut', (sqlite) =>
      sqlite.prepare('DELETE FROM events WHERE position >= ?').run(checkpoint.position - 1),
    );
    expect((await audit(cut, 'verify')).code).toBe(0);
    const cutCheck = await audit(cut, 'verify', '--checkpoint', checkpointFile);
    expect(cutCheck.code).toBe(1);
    expect(cutCheck.stdout).toMatch(/tail was cut/);

    const recomputed = tampered('recomputed', (sqlite) => {
      sqlite
        .prepare("UPDATE events SET data = replace(data, 'Plan 0', 'Plan Z') WHERE type = 'ProposalSubmitted'")
        .run();
      const rows = sqlite.prepare<[], EventRow>('SELECT * FROM events ORDER BY position').all();
      let prev = '0'.repeat(64);
      const update = sqlite.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE position = ?');
      for (const row of rows) {
        const hash = eventHash(prev, rowToEvent(row));
        update.run(prev, hash, row.position);
        prev = hash;
      }
    });
    expect((await audit(recomputed, 'verify')).code).toBe(0);
    const rewritten = await audit(recomputed, 'verify', '--checkpoint', checkpointFile);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toMatch(/rewritten and recomputed/);

    const otherKey = path.join(dir, 'other.pem');
    writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const foreign = await audit(pristine, 'verify', '--checkpoint', checkpointFile, '--public-key', otherKey);
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toMatch(/signature does not verify/);
    expect(readFileSync(checkpointFile, 'utf8')).toContain('signature');
  });
});
