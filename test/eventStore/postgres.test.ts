import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyRows } from '../../src/audit/verify';
import { loadConfig } from '../../src/config';
import { ClaimTaken, VersionConflict } from '../../src/errors';
import { PgLog } from '../../src/eventStore/postgres/pgLog';
import type { AppendRequest } from '../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../src/runtime';
import { createTestApp, testClock } from '../support/app';
import { runTs } from '../support/cli';
import { freshPostgresUrl, serviceRoleUrl, sql } from '../support/postgres';

const metadata = {
  actor: { entityId: 'europol', person: 'Delegate of Europol', role: 'delegate' as const },
  requestId: 'r1',
};

function note(streamId: string, expectedVersion: AppendRequest['expectedVersion'], text = 'hello'): AppendRequest {
  return { streamId, expectedVersion, events: [{ type: 'NoteTaken', data: { text } }], metadata };
}

const open: Runtime[] = [];

async function instance(url: string): Promise<Runtime> {
  const runtime = await openRuntime(loadConfig({ DATABASE_URL: url }), testClock().clock);
  open.push(runtime);
  return runtime;
}

afterEach(async () => {
  for (const runtime of open.splice(0)) await runtime.close();
});

describe('the PostgreSQL log shared by several instances', () => {
  it('keeps positions consecutive from 1 and the chain unbroken when two instances append at once', async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await instance(url), await instance(url)];
    const writes = [];
    for (let i = 0; i < 40; i += 1) {
      writes.push(a.store.append(note(`a-${i % 5}`, 'any')), b.store.append(note(`b-${i % 5}`, 'any')));
      writes.push((i % 2 ? a : b).store.append(note('shared', 'any')));
    }
    await Promise.all(writes);
    const positions = await sql<{ position: string }>(url, 'SELECT position FROM events ORDER BY position');
    expect(positions.map((row) => Number(row.position))).toEqual(positions.map((_, index) => index + 1));
    await a.store.catchUp();
    await b.store.catchUp();
    expect(a.store.reader.head()).toEqual(b.store.reader.head());
    expect(verifyRows(a.store.reader.iterateRows()).ok).toBe(true);
    expect(b.store.version('shared')).toBe(40);
  });

  it('enforces every expected-version mode against the log, not a replica that is behind', async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.store.append(note('s', 'no-stream'));
    // b has not read a's append yet: the log refuses what b's replica would allow.
    await expect(b.store.append(note('s', 'no-stream'))).rejects.toBeInstanceOf(VersionConflict);
    await expect(b.store.append(note('t', 'exists'))).rejects.toBeInstanceOf(VersionConflict);
    await expect(b.store.append(note('s', 2))).rejects.toMatchObject({ status: 409, actual: 1 });
    await expect(b.store.append(note('s', 1))).resolves.toMatchObject({ kind: 'appended' });
    await expect(a.store.append(note('s', 'any'))).resolves.toMatchObject({ kind: 'appended' });
    await expect(a.store.append(note('s', 'exists'))).resolves.toMatchObject({ kind: 'appended' });
    // A refused append refuses itself only: it left no row and no gap.
    await b.store.catchUp();
    expect(b.store.version('s')).toBe(4);
    expect(verifyRows(b.store.reader.iterateRows()).ok).toBe(true);
  });

  it('answers a repeated idempotency key from any instance, and after a restart', async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await instance(url), await instance(url)];
    const keyed = (fingerprint: string): AppendRequest => ({
      ...note('k', 'any'),
      idempotency: { key: 'token-1:key-1', fingerprint, response: { statusCode: 201, body: { id: 'k' } } },
    });
    const first = await a.store.append(keyed('f1'));
    const position = first.kind === 'appended' ? first.appended.position : 0;
    const again = await b.store.append(keyed('f1'));
    expect(again).toMatchObject({ kind: 'replayed', response: { statusCode: 201, body: { id: 'k', position } } });
    await expect(b.store.append(keyed('other'))).rejects.toMatchObject({ status: 422 });
    await a.close();
    open.splice(open.indexOf(a), 1);
    const restarted = await instance(url);
    await expect(restarted.store.append(keyed('f1'))).resolves.toMatchObject({ kind: 'replayed' });
    const rows = await sql<{ n: string }>(url, "SELECT count(*) AS n FROM events WHERE stream_id = 'k'");
    expect(rows[0]?.n).toBe('1');
  });

  it('appends in one statement at the head its replica holds; a key or claim taken meanwhile is decided under the lock', async () => {
    const url = await freshPostgresUrl();
    const a = await instance(url);
    const remote = a.store.remote;
    if (!remote) throw new Error('not on PostgreSQL');
    await a.store.append(note('s', 'no-stream'));
    const start = a.store.reader.head().position;
    const statements: string[] = [];
    const counted = new WeakSet<pg.PoolClient>();
    remote.pool.on('acquire', (client) => {
      if (counted.has(client)) return;
      counted.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text: string };
        statements.push(typeof first === 'string' ? first : first.text);
        return query(...args);
      };
    });
    await expect(a.store.append(note('s', 1))).resolves.toMatchObject({ kind: 'appended' });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^WITH moved AS/);
    // The replica has no record of keys and claims: the statement's unique keys refuse it, the lock decides.
    const keyed: AppendRequest = {
      ...note('s', 'any'),
      idempotency: { key: 'token-1:key-1', fingerprint: 'f1', response: { statusCode: 201, body: { id: 's' } } },
    };
    await a.store.append(keyed);
    await expect(a.store.append(keyed)).resolves.toMatchObject({
      kind: 'replayed',
      response: { body: { position: start + 2 } },
    });
    await a.store.append({ ...note('e-1', 'no-stream'), claims: ['edition:1'] });
    await expect(a.store.append({ ...note('e-2', 'no-stream'), claims: ['edition:1'] })).rejects.toBeInstanceOf(
      ClaimTaken,
    );
    const both: AppendRequest = {
      ...note('e-3', 'no-stream'),
      claims: ['edition:3'],
      idempotency: { key: 'token-1:key-3', fingerprint: 'f3', response: { statusCode: 201, body: { id: 'e-3' } } },
    };
    const before = statements.length;
    await expect(a.store.append(both)).resolves.toMatchObject({ kind: 'appended' });
    expect(statements.slice(before)).toHaveLength(1);
    const recorded = await sql<{ n: string }>(
      url,
      "SELECT (SELECT count(*) FROM claims WHERE key = 'edition:3') + (SELECT count(*) FROM idempotency_keys WHERE key = 'token-1:key-3') AS n",
    );
    expect(recorded[0]?.n).toBe('2');
    const heads = await sql<{ position: string }>(url, 'SELECT position FROM log_head');
    expect(Number(heads[0]?.position)).toBe(start + 4);
    expect(a.store.reader.head().position).toBe(start + 4);
    expect(verifyRows(a.store.reader.iterateRows()).ok).toBe(true);
  });

  it('shares one catch-up among the requests that wait for it, and never one that read the head before them', async () => {
    const url = await freshPostgresUrl();
    const a = await openRuntime(loadConfig({ DATABASE_URL: url, PG_POOL_SIZE: '2' }), testClock().clock);
    open.push(a);
    const b = await instance(url);
    const remote = a.store.remote;
    if (!remote) throw new Error('not on PostgreSQL');
    await b.store.append(note('s', 'no-stream'));
    let checkouts = 0;
    remote.pool.on('acquire', () => {
      checkouts += 1;
    });
    await Promise.all(Array.from({ length: 20 }, () => a.store.catchUp()));
    expect(checkouts).toBeGreaterThan(0);
    expect(checkouts).toBeLessThanOrEqual(3);
    expect(a.store.version('s')).toBe(1);
    // A catch-up that waits its turn (the one before it waits for a connection) is joined by a request made
    // after b's write was acknowledged: it has not read the head yet, so that request sees the write.
    const held = await Promise.all(Array.from({ length: 2 }, () => remote.pool.connect()));
    const running = a.store.catchUp();
    let after: Promise<void> | undefined;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const queued = a.store.catchUp();
      expect(queued).not.toBe(running);
      await b.store.append(note('s', 1));
      after = a.store.catchUp();
      expect(after).toBe(queued);
    } finally {
      for (const client of held) client.release();
    }
    await Promise.all([running, after]);
    expect(a.store.version('s')).toBe(2);
  });

  it('refuses UPDATE, DELETE, TRUNCATE and an insert off the head, in the database itself', async () => {
    const url = await freshPostgresUrl();
    await instance(url);
    await expect(sql(url, "UPDATE events SET type = 'Forged' WHERE position = 1")).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(sql(url, 'DELETE FROM events WHERE position = 1')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql(url, 'TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(
      sql(
        url,
        `INSERT INTO events SELECT position + 5, id || 'x', stream_id, version + 1, type, data, metadata, recorded_at,
           hash, hash FROM events ORDER BY position DESC LIMIT 1`,
      ),
    ).rejects.toThrow(/only grows at its head/);
  });

  it('runs as a role granted only what migrations/postgres/grants.sql gives, which cannot change the log', async () => {
    const url = await freshPostgresUrl();
    await instance(url);
    const restricted = new URL(await serviceRoleUrl(url, 'app'));
    const app = await instance(restricted.toString());
    await app.store.append(note('note-grants', 'no-stream'));
    await expect(sql(restricted.toString(), "UPDATE events SET type = 'Forged' WHERE position = 1")).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql(restricted.toString(), 'DELETE FROM idempotency_keys')).rejects.toThrow(/permission denied/);
    await expect(sql(restricted.toString(), 'ALTER TABLE events DISABLE TRIGGER USER')).rejects.toThrow(
      /must be owner/,
    );
    expect(verifyRows(app.store.reader.iterateRows()).ok).toBe(true);
  });

  it('refuses to start a server on a log that ends before its last signed checkpoint', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-pg-checkpoint-'));
    try {
      const env = {
        SIGNING_KEY_FILE: path.join(dir, 'signing-key.pem'),
        CHECKPOINT_DIR: path.join(dir, 'checkpoints'),
        CHECKPOINT_EVERY_EVENTS: '1',
      };
      const url = await freshPostgresUrl();
      const t = await createTestApp({ databaseUrl: url, env });
      await t.token('delegate', 'europol');
      await new Promise((resolve) => setImmediate(resolve));
      const head = t.runtime.store.reader.head().position;
      await t.close();
      expect(JSON.parse(readFileSync(path.join(dir, 'checkpoints', 'latest.json'), 'utf8')).position).toBe(head);
      // Another log (an older backup restored into a new database, say) under the same checkpoints.
      const other = await freshPostgresUrl();
      await instance(other);
      const result = await runTs('src/server.ts', [], { DATABASE_URL: other, PORT: '0', ...env });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot start: .*signed checkpoint at position/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses to start on a database migrated by newer code, naming what it does not know', async () => {
    const url = await freshPostgresUrl();
    await instance(url);
    await sql(url, "INSERT INTO dialogue_migrations (name) VALUES ('9999_from_the_future')");
    await expect(instance(url)).rejects.toThrow(/migrated by newer code \(9999_from_the_future/);
  });

  it('two instances migrating an empty database at once apply each migration once', async () => {
    const url = await freshPostgresUrl();
    const config = { url, poolSize: 2, connectTimeoutMs: 2000, statementTimeoutMs: 5000 };
    const logs = await Promise.all([PgLog.open(config), PgLog.open(config)]);
    const applied = await sql<{ name: string }>(url, 'SELECT name FROM dialogue_migrations');
    expect(applied.map((row) => row.name)).toEqual(['0001_event_log', '0002_claims', '0003_search']);
    for (const log of logs) await log.close();
  });

  it('refuses to start on a log whose tail was rewritten behind the triggers', async () => {
    const url = await freshPostgresUrl();
    await instance(url);
    await sql(url, 'ALTER TABLE events DISABLE TRIGGER events_refuse_update');
    await sql(url, `UPDATE events SET data = '{"forged":true}' WHERE position = (SELECT max(position) FROM events)`);
    await expect(instance(url)).rejects.toThrow(/audit -- verify/);
  });
});
