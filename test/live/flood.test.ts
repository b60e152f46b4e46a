import { afterEach, describe, expect, it } from 'vitest';
import { CATCH_UPS_PER_TOKEN } from '../../src/live/catchUpQueue';
import { createLiveApp, type LiveContext, note } from './support';

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

async function withLog(env: Record<string, string>, events: number): Promise<LiveContext> {
  const context = await createLiveApp(env);
  for (let i = 0; i < events; i += 1) await context.runtime.store.append(note(i % 2 ? 'strategic' : 'operational'));
  return context;
}

describe('a socket that floods the server', () => {
  it('is answered rate-limited, then closed with 1008, having started almost no catch-up (2,000 subscribe/unsubscribe pairs)', async () => {
    live = await withLog({}, 600);
    const socket = await live.connect(await live.token('delegate', 'sco'));
    for (let i = 0; i < 2000; i += 1) {
      socket.send({ type: 'subscribe', topic: 'group:strategic', since: 0 });
      socket.send({ type: 'unsubscribe', topic: 'group:strategic' });
    }
    expect((await socket.closed).code).toBe(1008);
    const refused = socket.messages.filter((m) => m.type === 'error' && m.code === 'rate-limited');
    expect(refused.length, 'the refusals in a row before the 50th, which closed it').toBeGreaterThanOrEqual(49);
    const subscribed = socket.messages.filter((m) => m.type === 'subscribed').length;
    expect(subscribed).toBeLessThanOrEqual(100);
    // Each pair's unsubscribe came before its catch-up's turn: the log was barely read.
    expect(live.app.liveHub.catchUps.started).toBeLessThanOrEqual(CATCH_UPS_PER_TOKEN);
    expect(live.app.liveHub.pages.entriesRead).toBeLessThanOrEqual(
      CATCH_UPS_PER_TOKEN * live.app.liveHub.catchUpPageSize,
    );
  });

  it("answers each message over the socket's budget with rate-limited and keeps the socket open below the abuse mark", async () => {
    live = await createLiveApp({ WS_MESSAGE_BURST: '5', WS_MESSAGES_PER_SECOND: '0.1' });
    const socket = await live.connect(await live.token('delegate', 'europol'));
    for (let i = 0; i < 8; i += 1) socket.send({ type: 'ping' });
    await socket.next((m) => m.type === 'error' && m.code === 'rate-limited');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.messages.map((m) => (m.type === 'error' ? m.code : m.type))).toEqual([
      'pong',
      'pong',
      'pong',
      'pong',
      'pong',
      'rate-limited',
      'rate-limited',
      'rate-limited',
    ]);
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
  });

  it("counts subscriptions and presence requests against the token's rate limit, shared with its HTTP requests", async () => {
    live = await createLiveApp({ RATE_LIMIT_MAX: '4' });
    const token = await live.token('delegate', 'europol');
    // The upgrade is a request of the token too: three left.
    const socket = await live.connect(token);
    expect(await socket.subscribe('group:strategic')).toMatchObject({ type: 'subscribed' });
    expect(await socket.subscribe('group:operational')).toMatchObject({ type: 'subscribed' });
    socket.send({ type: 'presence', topic: 'group:strategic' });
    await socket.next((m) => m.type === 'presence' && m.entities !== undefined && m.topic === 'group:strategic');
    const from = socket.messages.length;
    socket.send({ type: 'subscribe', topic: 'log' });
    const refused = await socket.next((m) => m.type === 'error', from);
    expect(refused).toMatchObject({ code: 'rate-limited' });
    expect((refused as { message?: string }).message).toMatch(/retry after \d+ s/);
    const http = await live.app.inject({ method: 'GET', url: '/groups', headers: live.auth(token) });
    expect(http.statusCode).toBe(429);
  });
});

describe('catch-ups of one token', () => {
  it(`run ${CATCH_UPS_PER_TOKEN} at a time; the others wait their turn, and every one completes in order`, async () => {
    live = await withLog({}, 400);
    live.app.liveHub.catchUpPageSize = 5;
    const author = await live.token('delegate', 'europol');
    const ids: string[] = [];
    let last = 0;
    for (let i = 0; i < 8; i += 1) {
      const res = await live.app.inject({
        method: 'POST',
        url: '/groups/strategic/proposals',
        headers: live.auth(author),
        payload: { title: `p${i}`, body: 'b' },
      });
      ids.push(res.json().id as string);
      last = res.json().position as number;
    }
    const reader = await live.token('delegate', 'afripol');
    const socket = await live.connect(reader);
    const hub = live.app.liveHub;
    const tokenId = live.runtime.tokens.authenticate(reader)?.tokenId as string;
    // The hub runs in this process: watch its counts between its own steps.
    let watching = true;
    const most = { running: 0, waiting: 0 };
    const watch = (async () => {
      while (watching) {
        const counts = hub.catchUps.of(tokenId);
        most.running = Math.max(most.running, counts.running);
        most.waiting = Math.max(most.waiting, counts.waiting);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const started = hub.catchUps.started;
    const topics = ['group:strategic', 'group:operational', ...ids.map((id) => `proposal:${id}`)];
    for (const topic of topics) socket.send({ type: 'subscribe', topic, since: 0 });
    for (const id of ids) await socket.reach(`proposal:${id}`, 0);
    await socket.reach('group:strategic', last);
    await socket.reach('group:operational', 399);
    watching = false;
    await watch;
    for (const topic of topics) {
      const positions = socket.events(topic).map((m) => m.position as number);
      expect(positions, topic).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(hub.catchUps.started - started).toBe(topics.length);
    expect(most.running).toBe(CATCH_UPS_PER_TOKEN);
    expect(most.waiting).toBeGreaterThan(0);
    expect(hub.catchUps.of(tokenId)).toEqual({ running: 0, waiting: 0 });
  });
});

describe("an item topic's catch-up", () => {
  it("reads the item's own events through its stream, not the log", async () => {
    live = await withLog({}, 3000);
    const author = await live.token('delegate', 'europol');
    const res = await live.app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers: live.auth(author),
      payload: { title: 'p', body: 'b' },
    });
    const id = res.json().id as string;
    for (let i = 0; i < 2; i += 1) {
      await live.app.inject({
        method: 'POST',
        url: `/proposals/${id}/comments`,
        headers: live.auth(author),
        payload: { body: `c${i}` },
      });
      await live.runtime.store.append(note('strategic'));
    }
    const socket = await live.connect(author);
    const before = live.app.liveHub.pages.entriesRead;
    await socket.subscribe(`proposal:${id}`, 0);
    await socket.reach(`proposal:${id}`, live.runtime.store.reader.head().position - 1);
    expect(socket.events(`proposal:${id}`)).toHaveLength(3);
    expect(live.app.liveHub.pages.entriesRead - before).toBe(3);
  });
});

describe('a message the server cannot answer', () => {
  it('closes the socket with 1011 instead of leaving it deaf, and the server goes on serving', async () => {
    live = await createLiveApp();
    const author = await live.token('delegate', 'europol');
    const res = await live.app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers: live.auth(author),
      payload: { title: 'p', body: 'b' },
    });
    const id = res.json().id as string;
    const socket = await live.connect(author);
    expect(await socket.subscribe(`proposal:${id}`)).toMatchObject({ type: 'subscribed' });
    live.runtime.db.sqlite.exec('ALTER TABLE proposals RENAME TO proposals_gone');
    try {
      socket.send({ type: 'unsubscribe', topic: `proposal:${id}` });
      socket.send({ type: 'subscribe', topic: `proposal:${id}` });
      expect((await socket.closed).code).toBe(1011);
    } finally {
      live.runtime.db.sqlite.exec('ALTER TABLE proposals_gone RENAME TO proposals');
    }
    const again = await live.connect(author);
    expect(await again.subscribe(`proposal:${id}`)).toMatchObject({ type: 'subscribed' });
    again.close();
  });
});

describe('an unsubscribe during a catch-up', () => {
  it('is the last word on that subscription: no frame of it follows unsubscribed, and a resubscription sends each position once', async () => {
    live = await createLiveApp();
    for (let i = 0; i < 3000; i += 1) await live.runtime.store.append(note('strategic', 'dialogue', 'x'.repeat(1000)));
    const socket = await live.connect(await live.token('delegate', 'europol'));
    socket.send({ type: 'subscribe', topic: 'group:strategic', since: 0 });
    await socket.next((m) => m.type === 'event');
    socket.send({ type: 'unsubscribe', topic: 'group:strategic' });
    const done = await socket.next((m) => m.type === 'unsubscribed');
    const at = socket.messages.indexOf(done);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.messages.slice(at + 1).filter((m) => m.type === 'event')).toEqual([]);
    const seen = socket.events('group:strategic').map((m) => m.position as number);
    await socket.subscribe('group:strategic', seen.at(-1));
    const head = live.runtime.store.reader.head().position;
    await socket.reach('group:strategic', head - 1);
    const all = socket.events('group:strategic').map((m) => m.position as number);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });
});
