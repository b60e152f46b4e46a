import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../../src/commands/idempotency';
import { loadConfig } from '../../src/config';
import { VersionConflict } from '../../src/errors';
import { eventHash, GENESIS_HASH } from '../../src/eventStore/hash';
import { eventId } from '../../src/eventStore/eventId';
import { EventStore } from '../../src/eventStore/store';
import type { AppendRequest } from '../../src/eventStore/types';
import { openRuntime } from '../../src/runtime';
import { testClock } from '../support/app';

const metadata = {
  actor: { entityId: 'europol', person: 'Delegate of Europol', role: 'delegate' as const },
  requestId: 'r1',
};

async function freshRuntime() {
  return openRuntime(loadConfig({ DATABASE_URL: ':memory:' }), testClock().clock);
}

function note(streamId: string, expectedVersion: AppendRequest['expectedVersion'], text = 'hello'): AppendRequest {
  return { streamId, expectedVersion, events: [{ type: 'NoteTaken', data: { text } }], metadata };
}

const count = (runtime: Awaited<ReturnType<typeof freshRuntime>>) =>
  (runtime.db.sqlite.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('event store append', () => {
  it('enforces no-stream: succeeds on a new stream, refuses an existing one', async () => {
    const rt = await freshRuntime();
    await expect(rt.store.append(note('s-1', 'no-stream'))).resolves.toMatchObject({ kind: 'appended' });
    await expect(rt.store.append(note('s-1', 'no-stream'))).rejects.toBeInstanceOf(VersionConflict);
    await rt.close();
  });

  it('enforces exists: refuses a missing stream, succeeds on an existing one', async () => {
    const rt = await freshRuntime();
    await expect(rt.store.append(note('s-2', 'exists'))).rejects.toBeInstanceOf(VersionConflict);
    await rt.store.append(note('s-2', 'no-stream'));
    await expect(rt.store.append(note('s-2', 'exists'))).resolves.toMatchObject({ kind: 'appended' });
    await rt.close();
  });

  it('enforces an exact version', async () => {
    const rt = await freshRuntime();
    await rt.store.append(note('s-3', 'no-stream'));
    await expect(rt.store.append(note('s-3', 2))).rejects.toMatchObject({ status: 409, actual: 1 });
    await expect(rt.store.append(note('s-3', 0))).rejects.toBeInstanceOf(VersionConflict);
    const outcome = await rt.store.append(note('s-3', 1));
    expect(outcome.kind === 'appended' && outcome.appended.version).toBe(2);
    await rt.close();
  });

  it('accepts any version with "any"', async () => {
    const rt = await freshRuntime();
    await expect(rt.store.append(note('s-4', 'any'))).resolves.toMatchObject({ kind: 'appended' });
    await expect(rt.store.append(note('s-4', 'any'))).resolves.toMatchObject({ kind: 'appended' });
    expect(rt.store.version('s-4')).toBe(2);
    await rt.close();
  });

  it('lets exactly one of 50 concurrent appends with the same expected version win', async () => {
    const rt = await freshRuntime();
    await rt.store.append(note('race', 'no-stream'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => rt.store.append(note('race', 1, `n${i}`))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(49);
    for (const o of refused) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
    expect(rt.store.version('race')).toBe(2);
    await rt.close();
  });

  it('chains every event: consecutive positions and hash = sha256(prev_hash + canonical event)', async () => {
    const rt = await freshRuntime();
    await rt.store.append({
      ...note('chain', 'no-stream'),
      events: [
        { type: 'A', data: { b: 1, a: [2, { z: 1, y: 2 }] } },
        { type: 'B', data: {} },
      ],
    });
    const events = [...rt.store.reader.iterate()];
    let prev = GENESIS_HASH;
    events.forEach((event, index) => {
      expect(event.position).toBe(index + 1);
      expect(event.prevHash).toBe(prev);
      expect(event.hash).toBe(eventHash(prev, event));
      prev = event.hash;
    });
    await rt.close();
  });

  it('records an idempotent repeat once and answers it with the first response', async () => {
    const rt = await freshRuntime();
    const idempotency = { key: 'tok:k1', fingerprint: 'f1', response: { statusCode: 201, body: { ok: 1 } } };
    const first = await rt.store.append({ ...note('idem', 'any'), idempotency });
    const before = count(rt);
    const again = await rt.store.append({ ...note('idem', 'any'), idempotency });
    const receipt = rt.store.reader.head();
    const kept = { statusCode: 201, body: { ok: 1, position: receipt.position, version: 1, receipt } };
    expect(first).toMatchObject({ kind: 'appended', response: kept });
    expect(again).toEqual({ kind: 'replayed', response: kept });
    expect(count(rt)).toBe(before);
    await expect(
      rt.store.append({ ...note('idem', 'any'), idempotency: { ...idempotency, fingerprint: 'other' } }),
    ).rejects.toMatchObject({ status: 422 });
    await rt.close();
  });

  it('leaves no event, no chain change and no idempotency record when a projection fails', async () => {
    const rt = await freshRuntime();
    const failing = new EventStore(
      rt.db.sqlite,
      [
        ...rt.projections,
        {
          name: 'broken',
          tables: [],
          apply: (e) => {
            if (e.type === 'Boom') throw new Error('projection failed');
          },
        },
      ],
      testClock().clock,
      new IdempotencyKeys(rt.db.sqlite),
    );
    const head = rt.store.reader.head();
    const before = count(rt);
    const idempotency = { key: 'tok:boom', fingerprint: 'f', response: { statusCode: 201, body: {} } };
    await expect(
      failing.append({
        streamId: 'boom',
        expectedVersion: 'any',
        events: [
          { type: 'Fine', data: {} },
          { type: 'Boom', data: {} },
        ],
        metadata,
        idempotency,
      }),
    ).rejects.toThrow('projection failed');
    expect(count(rt)).toBe(before);
    expect(rt.store.reader.head()).toEqual(head);
    expect(rt.db.sqlite.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get()).toEqual({ n: 0 });
    // The store keeps working after the refused append.
    await expect(failing.append(note('after-boom', 'no-stream'))).resolves.toMatchObject({ kind: 'appended' });
    await rt.close();
  });

  it('refuses UPDATE and DELETE on the log in the database itself', async () => {
    const rt = await freshRuntime();
    expect(() => rt.db.sqlite.prepare("UPDATE events SET type = 'X' WHERE position = 1").run()).toThrow(/append-only/);
    expect(() => rt.db.sqlite.prepare('DELETE FROM events WHERE position = 1').run()).toThrow(/append-only/);
    await rt.close();
  });

  it('refuses an insert that skips a position or breaks the chain link', async () => {
    const rt = await freshRuntime();
    const head = rt.store.reader.head();
    const insert = rt.db.sqlite.prepare(
      "INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, 'x', 1, 'T', '{}', '{}', 't', ?, 'h')",
    );
    expect(() => insert.run(head.position + 2, 'gap', head.hash)).toThrow(/only grows/);
    expect(() => insert.run(head.position + 1, 'link', 'f'.repeat(64))).toThrow(/only grows/);
    await rt.close();
  });

  it('keeps refusals of one append from undoing its neighbours in the same group commit', async () => {
    const rt = await freshRuntime();
    await rt.store.append(note('n-1', 'no-stream'));
    const results = await Promise.allSettled([
      rt.store.append(note('n-2', 'no-stream')),
      rt.store.append(note('n-1', 'no-stream')),
      rt.store.append(note('n-3', 'no-stream')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const positions = [...rt.store.reader.iterate()].map((e) => e.position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    await rt.close();
  });
});

describe('event ids', () => {
  it('are 21 characters that sort in the order they were made, and unique within a millisecond', async () => {
    const times = [0, 1, 61, 62, 1_790_000_000_000, 1_790_000_000_001, 1_790_000_060_000, 9_000_000_000_000];
    const ids = times.map(eventId);
    expect(ids.every((id) => id.length === 21)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => eventId(1_790_000_000_000))).size).toBe(1000);

    const rt = await freshRuntime();
    for (let i = 0; i < 5; i += 1) await rt.store.append(note(`s-${i}`, 'no-stream'));
    const stored = rt.db.sqlite
      .prepare<[], { id: string }>("SELECT id FROM events WHERE stream_id LIKE 's-%' ORDER BY position")
      .all();
    expect(stored.map((row) => row.id)).toHaveLength(5);
    await rt.close();
  });
});

describe('reading a stream', () => {
  it('gives the events after a version, whether the stream is cached or not', async () => {
    const rt = await freshRuntime();
    for (let v = 0; v < 4; v += 1) await rt.store.append(note('s-read', v === 0 ? 'no-stream' : v, `n${v + 1}`));
    const texts = (events: { data: Record<string, unknown> }[]) => events.map((event) => event.data.text);
    // Not cached yet, asked from a version: only the rest is read.
    expect(texts(rt.store.reader.readStream('s-read', 2))).toEqual(['n3', 'n4']);
    expect(texts(rt.store.reader.readStream('s-read'))).toEqual(['n1', 'n2', 'n3', 'n4']);
    await rt.store.append(note('s-read', 4, 'n5'));
    // Cached now: the new event is read after the kept ones.
    expect(texts(rt.store.reader.readStream('s-read', 3))).toEqual(['n4', 'n5']);
    expect(texts(rt.store.reader.readStream('s-read', 5))).toEqual([]);
    await rt.close();
  });
});
