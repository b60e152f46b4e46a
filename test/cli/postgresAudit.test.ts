import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { runTs } from '../support/cli';
import { freshPostgresUrl } from '../support/postgres';
import { client } from '../proposals/support';

let t: TestContext;
let url: string;
let dir: string;
let head: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-pg-audit-'));
  t = await createTestApp({ postgres: true });
  url = t.runtime.store.remote?.url ?? '';
  const api = client(t);
  const author = await t.token('delegate', 'europol');
  for (let i = 0; i < 3; i += 1) await api.submit(author, 'strategic');
  // An edition, scheduled with an Idempotency-Key: a kept response and a claim (its number) to back up.
  const secretariat = await t.token('secretariat');
  const scheduled = await t.app.inject({
    method: 'POST',
    url: '/editions',
    headers: { ...t.auth(secretariat), 'content-type': 'application/json', 'idempotency-key': 'edition-6' },
    payload: { number: 6, title: 'Sixth Global Dialogue', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'Lyon' },
  });
  if (scheduled.statusCode !== 201) throw new Error(scheduled.body);
  head = t.runtime.store.reader.head().position;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(databaseUrl: string, text: string): Promise<unknown[]> {
  const db = new pg.Client(databaseUrl);
  await db.connect();
  try {
    return (await db.query(text)).rows;
  } finally {
    await db.end();
  }
}

const on = (databaseUrl: string, extra: Record<string, string> = {}) => ({ DATABASE_URL: databaseUrl, ...extra });

describe('the audit tools, backup and restore on PostgreSQL', () => {
  it('export the same file from PostgreSQL and from its backup, verify, sign and replay', async () => {
    const backup = path.join(dir, 'backup.sqlite');
    const [fromPostgres, backedUp, verified] = await Promise.all([
      runTs('scripts/audit.ts', ['export'], on(url)),
      runTs('scripts/backup.ts', [backup], on(url)),
      runTs('scripts/audit.ts', ['verify'], on(url)),
    ]);
    expect(backedUp.stderr).toBe('');
    expect(backedUp.stdout).toMatch(new RegExp(`backup: .*: ${head} events, head position ${head} .*chain ok`));
    expect(verified.stdout).toMatch(new RegExp(`^ok: ${head} events, head position ${head} hash [0-9a-f]{64}\n$`));
    expect(fromPostgres.stdout.trim().split('\n')).toHaveLength(head);

    const fromBackup = await runTs('scripts/audit.ts', ['export'], on(backup));
    expect(fromBackup.stdout).toBe(fromPostgres.stdout);

    const key = path.join(dir, 'signing-key.pem');
    const checkpoint = await runTs('scripts/audit.ts', ['checkpoint'], on(url, { SIGNING_KEY_FILE: key }));
    expect(JSON.parse(checkpoint.stdout)).toMatchObject({ position: head });
    writeFileSync(path.join(dir, 'cp.json'), checkpoint.stdout);
    const held = await runTs('scripts/audit.ts', ['verify', '--checkpoint', path.join(dir, 'cp.json')], {
      ...on(url, { SIGNING_KEY_FILE: key }),
    });
    expect(held.stdout).toMatch(/and the log holds checkpoint/);
    const unsigned = await runTs('scripts/audit.ts', ['checkpoint'], on(url));
    expect(unsigned.stderr).toBe('audit: with PostgreSQL, set SIGNING_KEY_FILE to the key the servers sign with\n');

    const replay = await runTs('scripts/audit.ts', ['replay', '--until', String(head)], on(url));
    expect(JSON.parse(replay.stdout)).toMatchObject({ position: head });
  }, 60_000);

  it('restores a backup into an empty PostgreSQL log and verifies it there, and refuses a log that holds events', async () => {
    const backup = path.join(dir, 'for-restore.sqlite');
    expect((await runTs('scripts/backup.ts', [backup], on(url))).stdout).toMatch(/chain ok/);
    const target = await freshPostgresUrl();
    const restored = await runTs('scripts/restore.ts', [backup], on(target));
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toMatch(
      new RegExp(`restored into PostgreSQL: ${head} events, head position ${head} hash [0-9a-f]{64}; chain ok`),
    );
    const [original, copy] = await Promise.all([
      runTs('scripts/audit.ts', ['export'], on(url)),
      runTs('scripts/audit.ts', ['export'], on(target)),
    ]);
    expect(copy.stdout).toBe(original.stdout);
    // The write-side state goes with it: a retried request is answered once, a number stays taken.
    const keys = 'SELECT key, fingerprint, status_code, body, position, recorded_at FROM idempotency_keys ORDER BY key';
    expect(await rows(target, keys)).toEqual(await rows(url, keys));
    expect(await rows(target, keys)).toHaveLength(1);
    const claims = 'SELECT key, position FROM claims ORDER BY key';
    expect(await rows(target, claims)).toEqual(await rows(url, claims));
    expect(await rows(target, claims)).toMatchObject([{ key: 'edition-number:6' }]);
    // The restore fills the search index (the source's is brought up to its log first).
    expect(restored.stdout).toMatch(/search index: up to date\n/);
    await t.runtime.pgSearch?.follow();
    const search = 'SELECT position, proposal_id, document::text FROM proposal_search ORDER BY position';
    expect(await rows(target, search)).toEqual(await rows(url, search));
    expect(await rows(target, search)).toHaveLength(3);
    const again = await runTs('scripts/restore.ts', [backup], on(target));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^restore: the PostgreSQL log already holds \d+ events; .*nothing restored\n$/);
  }, 60_000);

  it('says where the chain breaks when a row was rewritten behind the triggers', async () => {
    const target = await freshPostgresUrl();
    const backup = path.join(dir, 'for-tamper.sqlite');
    await runTs('scripts/backup.ts', [backup], on(url));
    await runTs('scripts/restore.ts', [backup], on(target));
    const owner = new pg.Client(target);
    await owner.connect();
    try {
      await owner.query('ALTER TABLE events DISABLE TRIGGER USER');
      await owner.query(`UPDATE events SET data = '{"tampered":true}' WHERE position = 2`);
    } finally {
      await owner.end();
    }
    const result = await runTs('scripts/audit.ts', ['verify'], on(target));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^broken at position 2: /);
  }, 60_000);
});
