import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { revokeToken } from '../../src/tokens/tokens';
import { freshPostgresUrl } from '../support/postgres';
import { createLiveApp, type LiveContext, note } from './support';

/** Two server instances on one PostgreSQL log (each with its own replica, tail and live hub). */
let instances: LiveContext[] = [];
afterEach(async () => {
  for (const instance of instances) await instance.close();
  instances = [];
});

async function twoInstances(env: Record<string, string> = {}): Promise<[LiveContext, LiveContext]> {
  const url = await freshPostgresUrl();
  const a = await createLiveApp(env, url);
  const b = await createLiveApp(env, url);
  instances = [a, b];
  return [a, b];
}

describe('several instances on one PostgreSQL log', () => {
  it('delivers commands made on either instance to clients of both, in order, gap-free, once', async () => {
    const [a, b] = await twoInstances();
    const [tokenA, tokenB] = [await a.token('auditor'), await b.token('auditor')];
    // Both replicas hold both tokens' events before the clients subscribe, so both start at one position
    // (else A may subscribe before its tail has read B's token and then receive it live, and B not).
    await Promise.all([a.runtime.store.catchUp(), b.runtime.store.catchUp()]);
    const onA = await a.connect(tokenA);
    const onB = await b.connect(tokenB);
    const fromA = (await onA.subscribe('log')).position ?? 0;
    const fromB = (await onB.subscribe('log')).position ?? 0;
    expect(fromA).toBe(fromB);
    // Writers on both instances at once: their group commits interleave on the shared head.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).runtime.store.append(note('strategic'))),
    );
    const head = (await a.runtime.store.remote?.head())?.position ?? 0;
    await Promise.all([onA.reach('log', head), onB.reach('log', head)]);
    for (const [client, from] of [
      [onA, fromA],
      [onB, fromB],
    ] as const) {
      const positions = client.events('log').map((message) => message.position);
      expect(positions).toEqual(Array.from({ length: head - from }, (_, i) => from + 1 + i));
    }
    expect(onB.frames.filter((frame) => frame.includes('"type":"event"'))).toEqual(
      onA.frames.filter((frame) => frame.includes('"type":"event"')),
    );
    onA.close();
    onB.close();
  });

  it('closes a revoked token’s sockets with 4403 on every instance, and refuses it on the next request', async () => {
    const [a, b] = await twoInstances();
    const token = await a.token('delegate', 'europol');
    await b.runtime.store.catchUp();
    const onA = await a.connect(token);
    const onB = await b.connect(token);
    await Promise.all([onA.subscribe('group:strategic'), onB.subscribe('group:strategic')]);
    const actor = a.runtime.tokens.authenticate(token);
    if (!actor) throw new Error('the token does not authenticate');
    await revokeToken(a.runtime.store, actor.tokenId, { ...SYSTEM_ACTOR }, 'revoke-across');
    expect((await onA.closed).code).toBe(4403);
    expect((await onB.closed).code).toBe(4403);
    const refused = await b.app.inject({ method: 'GET', url: '/me', headers: b.auth(token) });
    expect(refused.statusCode).toBe(401);
  });

  it('answers a write made on one instance from the views of the other at its next request', async () => {
    const [a, b] = await twoInstances();
    const secretariat = await a.token('secretariat');
    const added = await a.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: a.auth(secretariat),
      payload: { entityId: 'interpol' },
    });
    expect(added.statusCode).toBe(201);
    const groups = await b.app.inject({ method: 'GET', url: '/groups', headers: b.auth(secretariat) });
    const strategic = (groups.json() as Array<{ id: string; chairs: unknown[] }>).find(
      (group) => group.id === 'strategic',
    );
    expect(strategic?.chairs).toEqual(['interpol']);
  });
  it('reads the log when another instance commits, not for its own commits', async () => {
    // No poll in the test's time: every read of the head below is a notification's.
    const [a, b] = await twoInstances({ TAIL_POLL_MS: '60000' });
    await Promise.all([a.runtime.store.catchUp(), b.runtime.store.catchUp()]);
    const reads = { a: 0, b: 0 };
    for (const [name, instance] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const remote = instance.runtime.store.remote;
      if (!remote) throw new Error('not on PostgreSQL');
      const head = remote.head.bind(remote);
      const read = remote.read.bind(remote);
      remote.head = () => {
        reads[name] += 1;
        return head();
      };
      remote.read = (after, limit) => {
        reads[name] += 1;
        return read(after, limit);
      };
    }
    for (let i = 0; i < 10; i += 1) await a.runtime.store.append(note('strategic'));
    const last = a.runtime.store.reader.head().position;
    await expect.poll(() => b.runtime.store.reader.head().position).toBe(last);
    // Give A's tail the time to hear its own ten notifications.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads.a).toBe(0);
    expect(reads.b).toBeGreaterThan(0);
  });
});
