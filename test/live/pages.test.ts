import { afterEach, describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/live/catchup';
import type { PageEntry } from '../../src/live/pages';
import { createLiveAppOn, type LiveContext, note } from './support';

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

/** A live app on a database file, with `events` notes appended and the hub's page reader thread up. */
async function appWithLog(events: number): Promise<LiveContext> {
  live = await createLiveAppOn('file');
  const context = live;
  for (let written = 0; written < events; written += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        context.runtime.store.append(note(i % 4 ? 'strategic' : 'operational', 'dialogue', `n${written + i}`)),
      ),
    );
  }
  context.app.liveHub.pages.prepare();
  const started = Date.now();
  while (!context.app.liveHub.pages.readsOnThread) {
    if (Date.now() - started > 20_000) throw new Error('the page reader did not start');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return context;
}

const positions = (entries: PageEntry[]) => entries.map((entry) => entry.position);
const heads = (entries: PageEntry[]) => entries.map((entry) => String(entry.head));

describe('catch-up pages', () => {
  it('gives the same pages from the reader thread as read here, however many are asked at once', async () => {
    const context = await appWithLog(400);
    const pages = context.app.liveHub.pages;
    const requests = Array.from({ length: 40 }, (_, i) => pages.fetch(i * 10, i * 10 + 10, 10, 'group:strategic'));
    // Sixteen go to the thread at once; the others wait their turn here.
    expect(pages.queuedRequests).toBe(24);
    const fetched = await Promise.all(requests);
    fetched.forEach((page, i) => {
      const read = pages.read(i * 10, i * 10 + 10, 10, 'group:strategic');
      expect(positions(page)).toEqual(positions(read));
      expect(heads(page)).toEqual(heads(read));
    });
    expect(pages.queuedRequests).toBe(0);
  });

  it('drops the requests of a catch-up that ended before their turn, unread', async () => {
    const context = await appWithLog(400);
    const pages = context.app.liveHub.pages;
    let wanted = true;
    const requests = Array.from({ length: 40 }, (_, i) =>
      pages.fetch(i * 10, i * 10 + 10, 10, 'group:strategic', () => wanted),
    );
    // The subscription ends: what is on the thread still arrives; nothing more is read for it.
    wanted = false;
    const fetched = await Promise.all(requests);
    expect(fetched.map((page) => page.length)).toEqual([
      ...Array.from({ length: 16 }, () => 10),
      ...Array.from({ length: 24 }, () => 0),
    ]);
    expect(pages.queuedRequests).toBe(0);
  });

  it('takes every page in order with no gap, reading here the first page and, after light pages, those the thread has not sent yet', async () => {
    const context = await appWithLog(600);
    const hub = context.app.liveHub;
    hub.catchUpPageSize = 7;
    for (const pattern of [[false], [true], [true, false, false], [false, true]]) {
      const ahead = new ReadAhead(hub, 'group:strategic', () => true);
      const taken: number[] = [];
      let after = 0;
      for (let page = 0; after < hub.published; page += 1) {
        const { entries, until } = await ahead.take(after, pattern[page % pattern.length] as boolean);
        taken.push(...positions(entries));
        expect(entries.at(-1)?.position).toBe(until);
        after = until;
      }
      expect(taken).toEqual(Array.from({ length: hub.published }, (_, i) => i + 1));
      // Heavy pages only: the first page alone is read here; light ones: the loop reads ahead too.
      if (pattern.every((light) => !light)) expect(ahead.pagesReadHere).toBe(1);
      if (pattern.every((light) => light)) expect(ahead.pagesReadHere).toBeGreaterThan(1);
    }
  });
});
