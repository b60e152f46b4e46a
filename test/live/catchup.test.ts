import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventStore/types';
import { createLiveAppOn, type LiveContext, note } from './support';

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

/** A socket that keeps every text frame exactly as it arrived. */
async function rawClient(
  context: LiveContext,
  token: string,
): Promise<{ socket: WebSocket; frames: string[]; closed: Promise<number> }> {
  const socket = new WebSocket(context.url, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}

const until = async (condition: () => boolean, what: string) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

function positionOf(frame: string): number {
  const message = JSON.parse(frame) as { type: string; position?: number };
  return message.type === 'event' ? (message.position ?? -1) : -1;
}

describe.each(['file', 'memory'] as const)('catch-up from a log %s', (where) => {
  it('sends each visible event as its stored JSON, byte for byte, in order, while writers append', async () => {
    live = await createLiveAppOn(where);
    const context = live;
    context.app.liveHub.catchUpPageSize = 7;
    const author = await context.token('delegate', 'europol');
    for (let i = 0; i < 300; i += 1) {
      const groupId = i % 3 === 0 ? 'operational' : 'strategic';
      await context.runtime.store.append(
        note(groupId, i % 4 === 0 ? 'members' : 'dialogue', `n${i} é ✓ "quoted" \\ ${'x'.repeat(i)}`),
      );
    }
    const proposal = await context.app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers: context.auth(author),
      payload: { title: 'Common alert format', body: 'For everyone.' },
    });
    expect(proposal.statusCode).toBe(201);
    // From a file, pages come from the hub's reader thread once it has opened the log.
    if (where === 'file') await until(() => context.app.liveHub.pages.readsOnThread, 'the page reader');
    const member = await rawClient(context, await context.token('delegate', 'interpol'));
    const observer = await rawClient(context, await context.token('delegate', 'sco'));
    for (const client of [member, observer])
      client.socket.send(JSON.stringify({ type: 'subscribe', topic: 'group:strategic', since: 0 }));
    // A topic that holds few of the log's events: its pages are light, and read here and on the thread.
    const { id } = proposal.json<{ id: string }>();
    const follower = await rawClient(context, await context.token('delegate', 'afripol'));
    follower.socket.send(JSON.stringify({ type: 'subscribe', topic: `proposal:${id}`, since: 0 }));
    // Writers keep appending during the catch-ups and across their switch to live.
    for (let i = 0; i < 60; i += 1)
      await context.runtime.store.append(note(i % 2 ? 'strategic' : 'operational', 'dialogue', `during ${i}`));
    const head = context.app.liveHub.published;
    const log = [...context.runtime.store.reader.iterate()];
    const stored = new Map<number, StoredEvent>(log.map((event) => [event.position, event]));
    for (const [client, seesMembers] of [
      [member, true],
      [observer, false],
    ] as const) {
      const expected = log
        .filter((event) => event.data.groupId === 'strategic' && (seesMembers || event.data.visibility !== 'members'))
        .map((event) => event.position);
      await until(() => client.frames.some((frame) => positionOf(frame) === expected.at(-1)), `position ${head}`);
      const events = client.frames.filter((frame) => positionOf(frame) > 0);
      expect(events.map(positionOf)).toEqual(expected);
      for (const frame of events) {
        const position = positionOf(frame);
        const event = stored.get(position);
        const prefix = `{"type":"event","topic":"group:strategic","position":${position},"event":${JSON.stringify(event)},"view":`;
        expect(frame.startsWith(prefix), frame).toBe(true);
      }
    }
    const ofProposal = log.filter((event) => event.streamId === `proposal-${id}`).map((event) => event.position);
    await until(() => follower.frames.some((frame) => positionOf(frame) === ofProposal.at(-1)), 'the proposal');
    expect(follower.frames.map(positionOf).filter((position) => position > 0)).toEqual(ofProposal);
    if (where === 'file') expect(context.app.liveHub.pages.readsOnThread).toBe(true);
    member.socket.close();
    observer.socket.close();
    follower.socket.close();
  });

  it('paces a large catch-up to a reader that stops reading instead of closing it with 1013', async () => {
    live = await createLiveAppOn(where, { WS_MAX_BUFFERED_BYTES: String(128 * 1024) });
    const context = live;
    const text = 'y'.repeat(4 * 1024);
    for (let written = 0; written < 1_000; written += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () => context.runtime.store.append(note('strategic', 'dialogue', text))),
      );
    }
    const head = context.app.liveHub.published;
    const client = await rawClient(context, await context.token('delegate', 'europol'));
    let code: number | undefined;
    void client.closed.then((closed) => {
      code = closed;
    });
    client.socket.send(JSON.stringify({ type: 'subscribe', topic: 'group:strategic', since: 0 }));
    await until(() => client.frames.length > 0, 'the first frame');
    // About 4 MiB of catch-up against a 128 KiB bound: the server must wait for this reader.
    client.socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.socket.resume();
    await until(
      () => code !== undefined || client.frames.some((frame) => positionOf(frame) === head),
      `position ${head}`,
    );
    expect(code).toBeUndefined();
    const expected = [...context.runtime.store.reader.iterate()]
      .filter((event) => event.data.groupId === 'strategic')
      .map((event) => event.position);
    expect(client.frames.map(positionOf).filter((position) => position > 0)).toEqual(expected);
    client.socket.close();
  });
});
