import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { openRuntime } from '../../src/runtime';
import { revokeToken } from '../../src/tokens/tokens';
import { createLiveApp, type LiveContext, note } from './support';

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

function tokenIdOf(context: LiveContext, token: string): string {
  const actor = context.runtime.tokens.authenticate(token);
  if (!actor) throw new Error('token does not authenticate');
  return actor.tokenId;
}

describe('flow control and lifecycle', () => {
  it('closes a slow consumer with 1013 while a fast one gets every event', async () => {
    live = await createLiveApp({ WS_MAX_BUFFERED_BYTES: String(256 * 1024) });
    const context = live;
    const slow = await context.connect(await context.token('delegate', 'europol'));
    const fast = await context.connect(await context.token('delegate', 'interpol'));
    const subscribed = await fast.subscribe('group:strategic');
    await slow.subscribe('group:strategic');
    slow.socket.pause();
    const text = 'x'.repeat(8 * 1024);
    for (let written = 0; context.app.liveHub.connections > 1 && written < 10_000; written += 20) {
      await Promise.all(
        Array.from({ length: 20 }, () => context.runtime.store.append(note('strategic', 'dialogue', text))),
      );
    }
    expect(context.app.liveHub.connections).toBe(1);
    const last = context.app.liveHub.published;
    await fast.reach('group:strategic', last);
    const positions = fast.events('group:strategic').map((m) => m.position);
    const from = subscribed.position ?? 0;
    expect(positions).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
    slow.socket.resume();
    expect((await slow.closed).code).toBe(1013);
    fast.close();
  });

  it('closes the sockets of a token revoked by another process (the token CLI) with 4403', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-revoke-'));
    const file = join(dir, 'dialogue.sqlite');
    try {
      live = await createLiveApp({}, file);
      const token = await live.token('delegate', 'europol');
      const client = await live.connect(token);
      const bystander = await live.connect(await live.token('delegate', 'interpol'));
      await client.subscribe('group:strategic');
      const cli = await openRuntime(loadConfig({ DATABASE_URL: file }), live.time.clock);
      await revokeToken(cli.store, tokenIdOf(live, token), { ...SYSTEM_ACTOR }, 'cli-revoke');
      await cli.close();
      expect((await client.closed).code).toBe(4403);
      bystander.send({ type: 'ping' });
      await bystander.next((m) => m.type === 'pong');
      bystander.close();
    } finally {
      await live?.close();
      live = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes the sockets of a token revoked in this process with 4403', async () => {
    live = await createLiveApp();
    const token = await live.token('auditor');
    const client = await live.connect(token, { query: true });
    await revokeToken(live.runtime.store, tokenIdOf(live, token), { ...SYSTEM_ACTOR }, 'revoke');
    expect((await client.closed).code).toBe(4403);
  });

  it('drops a peer that misses two pongs', async () => {
    live = await createLiveApp({ WS_HEARTBEAT_MS: '20' });
    const context = live;
    const client = await context.connect(await context.token('delegate', 'europol'));
    await until(() => context.app.liveHub.connections === 1);
    client.socket.pause();
    await until(() => context.app.liveHub.connections === 0);
    client.socket.resume();
    expect((await client.closed).code).toBe(1006);
  });

  it('closes every socket with 1001 when the server shuts down', async () => {
    const context = await createLiveApp();
    const client = await context.connect(await context.token('delegate', 'europol'));
    await client.subscribe('group:strategic');
    await context.close();
    expect((await client.closed).code).toBe(1001);
  });
});
