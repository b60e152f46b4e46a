/**
 * Scenario 1, append at library level: our EventStore (synchronous=FULL, hash chain, inline projections,
 * one comment event per call) vs a raw better-sqlite3 insert of the same row in one transaction per event
 * (FULL, and NORMAL for reference) vs the peer @event-driven-io/emmett-sqlite on one kept-open connection.
 * Rounds alternate the contenders so that the machine's noise falls on all of them alike.
 */
import path from 'node:path';
import { systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { commentAdded, delegateMetadata, MEMBERS, proposalId, proposalStream, proposalSubmitted } from './domain';
import { openRawLog } from './rawLog';
import { benchArgs, log, removeDir, round, scratchDir, writeResult, type Figure } from './lib';
import { loadPeer } from './peerInstall';
import { meter } from './meter';

const { appendToStream, createEventStoreSchema, sqliteConnection } = await loadPeer();

const args = benchArgs();
const PROPOSALS = 200;
// Short slices, the contenders in turn: a burst of load from a neighbour falls on all of them alike.
const ROUNDS = args.quick ? 4 : 16;
const SLICE_SECONDS = args.quick ? 0.4 : 0.5;
const dir = scratchDir('append');

async function ours() {
  const runtime = await openRuntime(
    { DATABASE_URL: path.join(dir, 'ours.sqlite'), SQLITE_SYNCHRONOUS: 'FULL', BUSY_TIMEOUT_MS: 5000 },
    systemClock,
  );
  const versions: number[] = [];
  for (let p = 0; p < PROPOSALS; p += 1) {
    await runtime.store.append({
      streamId: proposalStream(proposalId(p)),
      expectedVersion: 'no-stream',
      events: [proposalSubmitted(p, 'strategic')],
      metadata: delegateMetadata(MEMBERS[p % MEMBERS.length] ?? 'europol', `setup-${p}`),
    });
    versions.push(1);
  }
  return {
    settings: runtime.db.settings,
    meter: meter(async (i) => {
      const p = i % PROPOSALS;
      const event = commentAdded(p, 'strategic', i);
      await runtime.store.append({
        streamId: proposalStream(proposalId(p)),
        expectedVersion: versions[p] ?? 0,
        events: [event],
        metadata: delegateMetadata(String(event.data.entityId), `bench-${i}`),
      });
      versions[p] = (versions[p] ?? 0) + 1;
    }),
    /** The same one-event appends from `callers` concurrent callers: group commit shares the fsyncs. */
    concurrent: async (seconds: number, callers: number) => {
      let count = 0;
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: callers }, async (_, caller) => {
          for (let i = caller; performance.now() < until; i += callers) {
            const p = i % PROPOSALS;
            const event = commentAdded(p, 'strategic', i);
            await runtime.store.append({
              streamId: proposalStream(proposalId(p)),
              expectedVersion: versions[p] ?? 0,
              events: [event],
              metadata: delegateMetadata(String(event.data.entityId), `bench-c${i}`),
            });
            versions[p] = (versions[p] ?? 0) + 1;
            count += 1;
          }
        }),
      );
      return (count / (performance.now() - started)) * 1000;
    },
    close: () => runtime.close(),
  };
}

/** The raw insert of the same row: the log's table and unique keys, one transaction per event. */
function raw(synchronous: 'FULL' | 'NORMAL') {
  const rawLog = openRawLog(path.join(dir, `raw-${synchronous}.sqlite`), synchronous);
  const metadata = JSON.stringify(delegateMetadata('europol', 'bench-0'));
  return {
    meter: meter((i) => {
      const p = i % PROPOSALS;
      const event = commentAdded(p, 'strategic', i);
      rawLog.append(proposalStream(proposalId(p)), event.type, JSON.stringify(event.data), metadata);
    }),
    close: () => rawLog.close(),
  };
}

async function peer() {
  // The peer's fastest durable configuration: one kept-open connection (its default store API opens one
  // per call and is several times slower), WAL (its default) and synchronous=FULL.
  const connection = sqliteConnection({ fileName: path.join(dir, 'peer.sqlite') });
  await connection.command('PRAGMA synchronous = FULL');
  await createEventStoreSchema(connection);
  const versions: bigint[] = [];
  for (let p = 0; p < PROPOSALS; p += 1) {
    const submitted = proposalSubmitted(p, 'strategic');
    await appendToStream(connection, proposalStream(proposalId(p)), 'proposal', [submitted], {
      expectedStreamVersion: 0n,
    });
    versions.push(1n);
  }
  return {
    meter: meter(async (i) => {
      const p = i % PROPOSALS;
      const event = commentAdded(p, 'strategic', i);
      const result = await appendToStream(connection, proposalStream(proposalId(p)), 'proposal', [event], {
        expectedStreamVersion: versions[p] ?? 0n,
      });
      if (!result.success) throw new Error('the peer refused an append');
      versions[p] = result.nextStreamPosition;
    }),
    close: () => connection.close(),
  };
}

const contenders = { ours: await ours(), rawFull: raw('FULL'), rawNormal: raw('NORMAL'), peer: await peer() };
if (contenders.ours.settings.synchronous !== 'FULL') throw new Error('our store is not running with synchronous=FULL');
const NAMES = ['rawFull', 'ours', 'peer', 'rawNormal'] as const;
for (const name of NAMES) await contenders[name].meter.warm(300);
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const name of NAMES) await contenders[name].meter.slice(SLICE_SECONDS);
}
const result = {
  ours: contenders.ours.meter.rate(),
  rawFull: contenders.rawFull.meter.rate(),
  rawNormal: contenders.rawNormal.meter.rate(),
  peer: contenders.peer.meter.rate(),
};
log(`append: ${NAMES.map((name) => `${name} ${Math.round(result[name])}`).join(', ')} events/s`);
// Not a bar: what the same library call does when callers do not wait for each other (PROPOSALS is a
// multiple of CALLERS, so no two callers ever share a stream).
const CALLERS = 20;
const concurrent = await contenders.ours.concurrent((ROUNDS * SLICE_SECONDS) / 2, CALLERS);
log(`append: ours with ${CALLERS} concurrent callers ${Math.round(concurrent)} events/s`);
await contenders.ours.close();
contenders.rawFull.close();
contenders.rawNormal.close();
contenders.peer.close();
removeDir(dir);

const details = {
  slices: ROUNDS,
  secondsPerSlice: SLICE_SECONDS,
  rawNormal: Math.round(result.rawNormal),
  [`oursWith${CALLERS}ConcurrentCallers`]: Math.round(concurrent),
};
const figures: Figure[] = [
  {
    name: 'append-vs-raw-full',
    unit: 'events/s',
    value: Math.round(result.ours),
    baseline: {
      name: 'raw better-sqlite3 insert, one transaction per event, synchronous=FULL',
      value: Math.round(result.rawFull),
    },
    higherIsBetter: true,
    bar: 0.7,
    details: { ...details, vsRawNormal: round(result.ours / result.rawNormal) },
  },
  {
    name: 'append-vs-peer',
    unit: 'events/s',
    value: Math.round(result.ours),
    baseline: {
      name: 'emmett-sqlite 0.38.5 appendToStream, one event per call, one kept-open connection, synchronous=FULL',
      value: Math.round(result.peer),
    },
    higherIsBetter: true,
    bar: 4,
    details,
  },
];
writeResult(args.out, { figures, shared: { peerAppendsPerSecond: Math.round(result.peer) } });
