import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';
import { expectViewsEqualRebuild } from '../support/views';

let t: TestContext;
let api: ReturnType<typeof client>;
let member: string;
let chair: string;
let proposal: string;
let item: string;
let secretariat: string;
let edition: string;
let silenced: string;

beforeAll(async () => {
  // Message rates have tests of their own (test/live/flood): here every junk frame must be read.
  t = await createTestApp({ env: { RATE_LIMIT_MAX: '1000000', WS_MESSAGE_BURST: '1000' } });
  api = client(t);
  secretariat = await t.token('secretariat');
  [member, chair] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'interpol')]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  proposal = await api.submit(member, 'strategic', { title: 'Fuzz target' });
  item = (
    await api.post(chair, '/groups/strategic/action-items', {
      title: 'i',
      ownerEntityId: 'europol',
      dueDate: '2026-12-01',
    })
  ).json().id;
  const schedule = async (number: number) => {
    const body = { number, title: 'e', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'v' };
    const id: string = (await api.post(secretariat, '/editions', body)).json().id;
    await api.post(secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['d'] });
    await api.post(secretariat, `/editions/${id}/declaration`, {});
    return id;
  };
  edition = await schedule(1);
  silenced = await schedule(2);
  await api.post(secretariat, `/editions/${silenced}/declaration/paragraphs`, { text: 'p', expectedVersion: 3 });
  const until = '2026-03-02T12:00:00Z';
  expect((await api.post(secretariat, `/editions/${silenced}/declaration/silence`, { until })).statusCode).toBe(200);
});
afterAll(async () => t.close());

/** Text that has broken parsers and query builders before: SQL, FTS5 syntax, control and odd Unicode. */
const nasty = fc.oneof(
  fc.constantFrom(
    '"',
    '*',
    'NEAR(',
    'a OR',
    'title:x',
    '-x',
    '^x',
    "'; DROP TABLE events; --",
    '\u0000',
    '\uD800',
    '\u202E',
    '../../etc/passwd',
    '%00',
    '{}',
    '[]',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 70_000, maxLength: 70_001 }).map((s) => s.slice(0, 70_000)),
);
const deep = fc
  .integer({ min: 1, max: 3000 })
  .map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown);
const value = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  deep,
  fc.jsonValue({ maxDepth: 4 }),
);

const WRITES = () =>
  [
    [member, '/groups/strategic/proposals', { title: 't', body: 'b', pillars: ['single-node'], visibility: 'members' }],
    [member, `/proposals/${proposal}/revisions`, { title: 't', body: 'b', expectedVersion: 0 }],
    [member, `/proposals/${proposal}/comments`, { body: 'b', replyTo: 'x' }],
    [chair, `/proposals/${proposal}/objections`, { reason: 'r' }],
    [chair, `/proposals/${proposal}/decision`, { outcome: 'rejected', note: 'n', override: true }],
    [
      chair,
      '/groups/strategic/action-items',
      { title: 't', ownerEntityId: 'europol', dueDate: '2026-12-01', proposalId: 'p' },
    ],
    [chair, `/action-items/${item}/progress`, { percent: 1, note: 'n' }],
    [chair, `/action-items/${item}/due-date`, { dueDate: '2026-12-02', reason: 'r' }],
    [chair, `/proposals/${proposal}/closes-at`, { closesAt: '2026-12-01T00:00:00Z', reason: 'r' }],
    [secretariat, '/editions', { number: 3, title: 't', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'v' }],
    [secretariat, `/editions/${edition}/agenda`, { proposalId: proposal }],
    [secretariat, `/editions/${edition}/attendance`, { entityId: 'afripol', delegates: ['d'] }],
    [secretariat, `/editions/${edition}/declaration/paragraphs`, { text: 't', after: 0, expectedVersion: 3 }],
    [secretariat, `/editions/${edition}/declaration/silence`, { until: '2026-03-02T12:00:00Z', expectedVersion: 3 }],
    [member, `/editions/${silenced}/declaration/silence/breaks`, { reason: 'r' }],
  ] as const;

let tried = 0;

describe('fuzzing', () => {
  it('never answers 5xx to mutated bodies, and a refused request changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: WRITES().length - 1 }),
        fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 }),
        fc.boolean(),
        async (which, mutation, replace) => {
          const [token, url, valid] = WRITES()[which] as readonly [string, string, Record<string, unknown>];
          const body = replace ? mutation : { ...valid, ...mutation };
          const head = t.runtime.store.reader.head().position;
          const res = await api.post(token, url, body);
          tried += 1;
          expect(res.statusCode, `${url} ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode >= 400) expect(t.runtime.store.reader.head().position).toBe(head);
        },
      ),
      { numRuns: 250, seed: 20261122 },
    );
  }, 120_000);

  it('never answers 5xx to raw payloads: broken JSON, invalid UTF-8, wrong content types', async () => {
    const payload = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(
        '{',
        '{"title": "\uD800"}',
        '{"title":"t","body":"b"',
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      ),
    );
    const type = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'multipart/form-data',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: WRITES().length - 1 }),
        payload,
        type,
        async (which, body, contentType) => {
          const [token, url] = WRITES()[which] as readonly [string, string, unknown];
          const head = t.runtime.store.reader.head().position;
          const res = await t.app.inject({
            method: 'POST',
            url,
            headers: { ...t.auth(token), 'content-type': contentType },
            payload: body,
          });
          tried += 1;
          expect(res.statusCode).toBeLessThan(500);
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(t.runtime.store.reader.head().position).toBe(head);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  }, 120_000);

  it('never answers 5xx to query strings with search syntax, junk cursors and odd limits', async () => {
    const routes = [
      '/groups/strategic/proposals',
      '/groups/strategic/action-items',
      '/groups/strategic/action-items.csv',
      '/groups/strategic/dashboard',
      `/editions/${edition}/declaration/history`,
      `/editions/${edition}/declaration/diff`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.dictionary(
          fc.constantFrom('q', 'cursor', 'limit', 'status', 'pillar', 'owner', 'from', 'to', 'after', 'x'),
          nasty,
          { maxKeys: 4 },
        ),
        async (route, query) => {
          const search = new URLSearchParams(
            Object.entries(query).map(([k, v]): [string, string] => [k, v.slice(0, 2000)]),
          ).toString();
          const res = await api.get(member, `${route}?${search}`);
          tried += 1;
          expect(res.statusCode, `${route}?${search.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  }, 120_000);

  it('keeps the views equal to a rebuild after all of it', () => {
    expectViewsEqualRebuild(t.runtime);
    expect(tried).toBeGreaterThanOrEqual(650);
  });

  it('answers junk websocket frames with errors and keeps the socket open', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = new WebSocket(`${address.replace('http', 'ws')}/ws`, { headers: t.auth(member) });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const replies: Array<{ type: string }> = [];
    socket.on('message', (data) => replies.push(JSON.parse(data.toString()) as { type: string }));
    const frames = fc
      .sample(
        fc.oneof(
          nasty.filter((s) => s.length < 60_000),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc
            .record({
              type: fc.constantFrom('subscribe', 'unsubscribe', 'presence', 'nope'),
              topic: fc.oneof(
                nasty.filter((s) => s.length < 1000),
                fc
                  .tuple(fc.constantFrom('group:', 'proposal:', 'action-item:', 'edition:'), nasty)
                  .map(([prefix, s]) => `${prefix}${s.slice(0, 900)}`),
                fc.constant(`edition:${edition}`),
              ),
              since: value.filter((v) => (JSON.stringify(v) ?? '').length < 10_000),
            })
            .map((v) => JSON.stringify(v)),
        ),
        { numRuns: 150, seed: 3 },
      )
      .filter((frame) => Buffer.byteLength(frame) < 64 * 1024); // larger frames close the socket (1009), tested in test/live

    for (const frame of frames) socket.send(frame);
    socket.send(JSON.stringify({ type: 'ping' }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no pong; got ${replies.length} replies`)), 10_000);
      socket.on('message', () => {
        if (replies.some((reply) => reply.type === 'pong')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(replies.filter((reply) => reply.type === 'error').length).toBeGreaterThan(0);
    socket.close();
  });
});
