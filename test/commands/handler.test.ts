import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decider } from '../../src/commands/decider';
import type { Command, WriteContext } from '../../src/commands/handler';
import { loadConfig } from '../../src/config';
import { Conflict, IdempotencyKeyReused } from '../../src/errors';
import type { NewEvent } from '../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../src/runtime';
import { testClock } from '../support/app';

let rt: Runtime;
beforeEach(async () => {
  rt = await openRuntime(loadConfig({ DATABASE_URL: ':memory:' }), testClock().clock);
});
afterEach(async () => rt.close());

const actor = { tokenId: 'tok', role: 'secretariat' as const, entityId: null, entityKind: null, person: 'Secretariat' };
const context = (key?: string): WriteContext => ({
  actor,
  requestId: 'r1',
  ...(key === undefined ? {} : { idempotency: { key: `tok:${key}`, fingerprint: 'f' } }),
});

/** A stream of ticks (the state is how many there are) whose decision and fold note whether a transaction is open. */
function ticks(streamId: string, inTransaction: boolean[] = []): Command<number, NewEvent> {
  const noted = <T>(value: T): T => {
    inTransaction.push(rt.db.sqlite.inTransaction);
    return value;
  };
  const decider: Decider<number, NewEvent> = {
    initialState: 0,
    evolve: (count) => noted(count + 1),
    parse: (event) => noted({ type: event.type, data: event.data }),
  };
  return { streamId, decider, statusCode: 201, decide: () => noted([{ type: 'Ticked', data: {} }]), body: { n: 1 } };
}

describe('the command handler', () => {
  it('answers the body given as data, then the position, version and receipt of the append', async () => {
    const response = await rt.commands.handle(context(), ticks('ticks'));
    const receipt = rt.store.reader.head();
    expect(response).toEqual({ statusCode: 201, body: { n: 1, position: receipt.position, version: 1, receipt } });
    expect(Object.keys(response.body)).toEqual(['n', 'position', 'version', 'receipt']);
  });

  it("runs nothing of the command inside the store's transaction, with an idempotency key or without", async () => {
    const inTransaction: boolean[] = [];
    await rt.commands.handle(context(), ticks('ticks', inTransaction));
    await rt.commands.handle(context('once'), ticks('ticks', inTransaction));
    // Read back from the log: the stream's events are parsed and folded again.
    rt.commands.folds.forget('ticks');
    await rt.commands.handle(context(), ticks('ticks', inTransaction));
    expect(inTransaction.length).toBeGreaterThanOrEqual(8);
    expect(inTransaction.filter(Boolean)).toEqual([]);
  });
});

describe('idempotency keys in the command handler', () => {
  it('answers a repeat with the first response, without deciding on the state the first one made', async () => {
    const refusing = {
      ...ticks('once'),
      decide: (count: number) => {
        if (count > 0) throw new Conflict('ticked already');
        return [{ type: 'Ticked', data: {} }];
      },
    };
    const first = await rt.commands.handle(context('k'), refusing);
    expect(await rt.commands.handle(context('k'), refusing)).toEqual(first);
    expect(rt.store.version('once')).toBe(1);
    await expect(rt.commands.handle(context(), refusing)).rejects.toBeInstanceOf(Conflict);
  });

  it('records one append for concurrent repeats on different streams: the key is checked again in the transaction', async () => {
    const [a, b] = await Promise.all([
      rt.commands.handle(context('burst'), ticks('burst-a')),
      rt.commands.handle(context('burst'), ticks('burst-b')),
    ]);
    expect(b).toEqual(a);
    expect(rt.store.version('burst-a') + rt.store.version('burst-b')).toBe(1);
  });

  it('keeps the first response under the key, and refuses the key with another request', async () => {
    expect(rt.commands.idempotency.replay({ key: 'tok:kept', fingerprint: 'f' })).toBeUndefined();
    const first = await rt.commands.handle(context('kept'), ticks('kept'));
    expect(rt.commands.idempotency.replay({ key: 'tok:kept', fingerprint: 'f' })).toEqual(first);
    expect(() => rt.commands.idempotency.replay({ key: 'tok:kept', fingerprint: 'other' })).toThrow(
      IdempotencyKeyReused,
    );
    // The log records the key as the client sent it, without the token it is scoped to.
    expect(rt.store.reader.readStream('kept')[0]?.metadata.idempotencyKey).toBe('kept');
  });
});
