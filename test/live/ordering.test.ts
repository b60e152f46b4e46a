import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventStore/types';
import { type Client, createLiveApp, type LiveContext, note } from './support';

/** A small seeded generator, so that a failing interleaving can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

function logEvents(context: LiveContext): StoredEvent[] {
  return [...context.runtime.store.reader.iterate()];
}

/** What a subscriber of `group:<id>` must receive after `after`: the group's visible events, in order. */
function expectedPositions(events: StoredEvent[], groupId: string, after: number, seesMembers: boolean): number[] {
  return events
    .filter((event) => event.position > after && event.data.groupId === groupId)
    .filter((event) => seesMembers || event.data.visibility !== 'members')
    .map((event) => event.position);
}

function received(client: Client, topic: string): number[] {
  return client.events(topic).map((message) => message.position ?? -1);
}

describe('catch-up to live', () => {
  it('delivers every visible event once and in order across the switch while a writer appends (1,200 events)', async () => {
    const seed = Date.now() % 100_000;
    const next = random(seed);
    live = await createLiveApp();
    const context = live;
    // Small pages: each catch-up spans many pages, so writers commit between them and during the handoff.
    context.app.liveHub.catchUpPageSize = 1 + Math.floor(next() * 16);
    const member = await context.token('delegate', 'europol');
    const observer = await context.token('delegate', 'sco');
    const clients: Array<{ client: Client; since: number; seesMembers: boolean; groupId: string }> = [];

    const subscribeOne = async () => {
      const seesMembers = next() < 0.5;
      const groupId = next() < 0.7 ? 'strategic' : 'operational';
      const client = await context.connect(seesMembers ? member : observer);
      const withSince = next() < 0.8;
      const since = Math.floor(next() * (context.app.liveHub.published + 1));
      const subscribed = await client.subscribe(`group:${groupId}`, withSince ? since : undefined);
      clients.push({ client, since: withSince ? since : (subscribed.position ?? 0), seesMembers, groupId });
    };

    const total = 1200;
    let written = 0;
    const subscriptions: Promise<void>[] = [];
    while (written < total) {
      const burst = 1 + Math.floor(next() * 40);
      const appends: Promise<unknown>[] = [];
      for (let i = 0; i < burst && written < total; i += 1, written += 1) {
        const groupId = next() < 0.6 ? 'strategic' : 'operational';
        appends.push(context.runtime.store.append(note(groupId, next() < 0.3 ? 'members' : 'dialogue', `n${written}`)));
      }
      // At random, and at least once per 200 events: left to chance alone, about 2% of seeds subscribed 3 or fewer.
      if (next() < 0.15 || subscriptions.length < Math.floor(written / 200)) subscriptions.push(subscribeOne());
      if (next() < 0.5) await Promise.all(appends);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(subscriptions);
    await context.runtime.store.append(note('strategic', 'dialogue', 'last strategic'));
    await context.runtime.store.append(note('operational', 'dialogue', 'last operational'));
    const events = logEvents(context);
    const head = events.at(-1)?.position ?? 0;
    expect(clients.length, `seed ${seed}`).toBeGreaterThan(3);
    for (const { client, since, seesMembers, groupId } of clients) {
      const topic = `group:${groupId}`;
      const expected = expectedPositions(events, groupId, since, seesMembers);
      await client.reach(topic, expected.at(-1) ?? head);
      expect(received(client, topic), `seed ${seed}, since ${since}, ${topic}, members ${seesMembers}`).toEqual(
        expected,
      );
    }
  });

  it('resumes after a disconnect with exactly the missed events', async () => {
    live = await createLiveApp();
    const token = await live.token('delegate', 'europol');
    const first = await live.connect(token);
    await first.subscribe('group:strategic');
    for (let i = 0; i < 20; i += 1) await live.runtime.store.append(note('strategic', 'dialogue', `before ${i}`));
    await first.reach('group:strategic', live.app.liveHub.published);
    const lastSeen = received(first, 'group:strategic').at(-1) ?? 0;
    first.socket.terminate();
    await first.closed;

    for (let i = 0; i < 30; i += 1)
      await live.runtime.store.append(note(i % 2 ? 'strategic' : 'operational', 'dialogue', `away ${i}`));
    const missed = expectedPositions(logEvents(live), 'strategic', lastSeen, true);
    const second = await live.connect(token);
    await second.subscribe('group:strategic', lastSeen);
    await live.runtime.store.append(note('strategic', 'dialogue', 'after'));
    const after = live.app.liveHub.published;
    await second.reach('group:strategic', after);
    expect(received(second, 'group:strategic')).toEqual([...missed, after]);
    const stored = new Map(logEvents(live).map((event) => [event.position, event]));
    for (const message of second.events('group:strategic'))
      expect(message.event).toEqual(stored.get(message.position ?? 0));
    second.close();
  });

  it('publishes events another process commits to the same log, in order', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openRuntime } = await import('../../src/runtime');
    const { loadConfig } = await import('../../src/config');
    const dir = mkdtempSync(join(tmpdir(), 'live-'));
    const file = join(dir, 'dialogue.sqlite');
    try {
      live = await createLiveApp({}, file);
      const client = await live.connect(await live.token('delegate', 'europol'));
      await client.subscribe('group:strategic');
      const other = await openRuntime(loadConfig({ DATABASE_URL: file }), live.time.clock);
      for (let i = 0; i < 5; i += 1) await other.store.append(note('strategic', 'dialogue', `elsewhere ${i}`));
      await live.runtime.store.append(note('strategic', 'dialogue', 'here'));
      await other.close();
      const expected = expectedPositions(logEvents(live), 'strategic', 0, true).slice(-6);
      await client.reach('group:strategic', expected.at(-1) ?? 0);
      expect(received(client, 'group:strategic')).toEqual(expected);
      await live.close();
      live = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
