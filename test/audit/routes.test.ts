import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointSignatureValid } from '../../src/audit/checkpoint';
import type { StoredEvent } from '../../src/eventStore/types';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
let auditor: string;
let secretariat: string;
let europol: string;

beforeAll(async () => {
  t = await createTestApp();
  api = client(t);
  [auditor, secretariat, europol] = await Promise.all([
    t.token('auditor'),
    t.token('secretariat'),
    t.token('delegate', 'europol'),
  ]);
  for (let i = 0; i < 5; i += 1) await api.submit(europol, 'strategic', { title: `Plan ${i}` });
});
afterAll(async () => t.close());

describe('GET /events', () => {
  it('pages through the whole log without a gap or a duplicate', async () => {
    const positions: number[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const res = await api.get(secretariat, `/events?after=${after}&limit=7`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { events: StoredEvent[]; next: number | null };
      positions.push(...page.events.map((event) => event.position));
      after = page.next;
    }
    const head = t.runtime.store.reader.head().position;
    expect(positions).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });

  it('serves every event field of the contract', async () => {
    const [event] = (await api.get(auditor, '/events?limit=1')).json().events;
    expect(Object.keys(event).sort()).toEqual([
      'data',
      'hash',
      'id',
      'metadata',
      'position',
      'prevHash',
      'recordedAt',
      'streamId',
      'type',
      'version',
    ]);
  });

  it('refuses limit outside 1..1000 and bad positions with 400', async () => {
    for (const query of ['limit=0', 'limit=1001', 'after=-1', 'after=x', 'limit=2.5', 'other=1']) {
      expect((await api.get(auditor, `/events?${query}`)).statusCode, query).toBe(400);
    }
  });

  it('refuses a delegate with 403', async () => {
    expect((await api.get(europol, '/events')).statusCode).toBe(403);
  });
});

describe('GET /streams/:streamId', () => {
  it("serves one stream's events in version order, 404 for an unknown stream, 403 for a delegate", async () => {
    const res = await api.get(auditor, '/streams/group-strategic');
    expect(res.statusCode).toBe(200);
    expect(res.json().events.map((event: StoredEvent) => event.version)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect((await api.get(auditor, '/streams/nothing-here')).statusCode).toBe(404);
    expect((await api.get(europol, '/streams/group-strategic')).statusCode).toBe(403);
  });
});

describe('auditor-only routes', () => {
  it('refuses delegates and the secretariat with 403', async () => {
    for (const url of ['/audit/export', '/audit/verify', '/audit/checkpoint', '/audit/state?at=1&group=strategic']) {
      expect((await api.get(europol, url)).statusCode, url).toBe(403);
      expect((await api.get(secretariat, url)).statusCode, url).toBe(403);
    }
  });

  it('exports the log as NDJSON in position order, optionally between positions', async () => {
    const res = await api.get(auditor, '/audit/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredEvent);
    expect(lines.map((event) => event.position)).toEqual(
      Array.from({ length: t.runtime.store.reader.head().position }, (_, i) => i + 1),
    );
    const part = (await api.get(auditor, '/audit/export?after=3&until=5')).body.trim().split('\n');
    expect(part.map((line) => JSON.parse(line).position)).toEqual([4, 5]);
  });

  it('verifies the chain', async () => {
    const res = await api.get(auditor, '/audit/verify');
    expect(res.json()).toEqual({
      ok: true,
      checked: t.runtime.store.reader.head().position,
      head: t.runtime.store.reader.head(),
    });
  });

  it('reports a row whose data is not JSON as the first bad position, not a 500', async () => {
    const sqlite = t.runtime.db.sqlite;
    const head = t.runtime.store.reader.head().position;
    sqlite.exec('DROP TRIGGER events_refuse_update');
    const original =
      sqlite.prepare<[number], { data: string }>('SELECT data FROM events WHERE position = ?').get(head)?.data ?? '';
    sqlite.prepare("UPDATE events SET data = '{broken' WHERE position = ?").run(head);
    try {
      const res = await api.get(auditor, '/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        ok: false,
        failure: { position: head, reason: expect.stringMatching(/not valid JSON/) },
      });
    } finally {
      sqlite.prepare('UPDATE events SET data = ? WHERE position = ?').run(original, head);
    }
  });

  it('signs checkpoints that verify with the public key and fail with another key', async () => {
    const checkpoint = (await api.get(auditor, '/audit/checkpoint')).json();
    expect(checkpoint).toMatchObject(t.runtime.store.reader.head());
    const publicKey = await api.get(europol, '/audit/public-key');
    expect(publicKey.statusCode).toBe(200);
    expect(publicKey.body).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(checkpointSignatureValid(checkpoint, publicKey.body)).toBe(true);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(checkpointSignatureValid(checkpoint, other)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, position: checkpoint.position - 1 }, publicKey.body)).toBe(false);
  });

  it('answers 400 to a bad `at` and 404 to an unknown group', async () => {
    expect((await api.get(auditor, '/audit/state?at=yesterday&group=strategic')).statusCode).toBe(400);
    expect((await api.get(auditor, '/audit/state?at=1&group=tactical')).statusCode).toBe(404);
  });
});
