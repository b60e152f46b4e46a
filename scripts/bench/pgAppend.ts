/**
 * PostgreSQL scenario 1, append at library level: our EventStore through `openRuntime` on a postgres:// URL
 * (the shared log's transaction: head row locked, versions read, chain, triggers, NOTIFY; then the
 * instance's SQLite replica folds the event), one comment event per awaited call, vs a raw `pg` insert of
 * the same row in one transaction per event, vs the peer @event-driven-io/emmett-postgresql 0.42.0. Each
 * contender has a database of its own on the same server. Rounds alternate the contenders.
 */
import pg from 'pg';
import { systemClock } from '../../src/config';
import { openRuntime, type Runtime } from '../../src/runtime';
import { commentAdded, delegateMetadata, MEMBERS, proposalId, proposalStream, proposalSubmitted } from './domain';
import { benchArgs, log, round, writeResult, type Figure } from './lib';
import { meter } from './meter';
import { loadPostgresPeer } from './peerInstall';
import type { PostgresEventStore } from './peer-postgres/emmettPostgres.js';
import { openRawPgLog } from './pgRawLog';
import { freshDatabase, scenarioPostgres } from './pgServer';

const { getPostgreSQLEventStore } = await loadPostgresPeer();

const args = benchArgs();
const PROPOSALS = 200;
const ROUNDS = args.quick ? 4 : 16;
const SLICE_SECONDS = args.quick ? 0.4 : 0.5;
const CALLERS = 20;
const server = await scenarioPostgres();
const databases: { drop(): Promise<void> }[] = [];

async function database(name: string): Promise<string> {
  const created = await freshDatabase(server.url, name);
  databases.push(created);
  return created.url;
}

/**
 * Time spent in the shared log's transaction (PgLog.appendBatch, every round trip of a group commit) apart
 * from the rest of an append (the queue, the replica's fold, the listeners): where an append's time goes.
 */
function timeSharedLog(runtime: Runtime) {
  const remote = runtime.store.remote;
  if (!remote) throw new Error('the runtime is not on PostgreSQL');
  const totals = { ms: 0, batches: 0 };
  const appendBatch = remote.appendBatch.bind(remote);
  remote.appendBatch = async (requests, now, local) => {
    const started = performance.now();
    try {
      return await appendBatch(requests, now, local);
    } finally {
      totals.ms += performance.now() - started;
      totals.batches += 1;
    }
  };
  return totals;
}

async function ours() {
  const runtime = await openRuntime(
    { DATABASE_URL: await database('ours'), SQLITE_SYNCHRONOUS: 'FULL', BUSY_TIMEOUT_MS: 5000 },
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
  const sharedLog = timeSharedLog(runtime);
  const appendOne = async (i: number, prefix: string) => {
    const p = i % PROPOSALS;
    const event = commentAdded(p, 'strategic', i);
    await runtime.store.append({
      streamId: proposalStream(proposalId(p)),
      expectedVersion: versions[p] ?? 0,
      events: [event],
      metadata: delegateMetadata(String(event.data.entityId), `${prefix}${i}`),
    });
    versions[p] = (versions[p] ?? 0) + 1;
  };
  return {
    meter: meter((i) => appendOne(i, 'bench-')),
    sharedLog,
    /** The same appends from callers that do not wait for each other: group commit shares the commits. */
    concurrent: async (seconds: number) => {
      let count = 0;
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CALLERS }, async (_, caller) => {
          for (let i = caller; performance.now() < until; i += CALLERS) {
            await appendOne(i, 'bench-c');
            count += 1;
          }
        }),
      );
      return (count / (performance.now() - started)) * 1000;
    },
    close: () => runtime.close(),
  };
}

/**
 * The raw insert of the same row: the log's table and unique keys, one transaction per event. `floor`: the
 * same insert as a statement of its own (one round trip, one commit): no durable append can be faster.
 */
async function raw(name: 'raw' | 'floor') {
  const rawLog = await openRawPgLog(await database(name), 1, { autocommit: name === 'floor' });
  const metadata = JSON.stringify(delegateMetadata('europol', 'bench-0'));
  return {
    meter: meter((i) => {
      const p = i % PROPOSALS;
      const event = commentAdded(p, 'strategic', i);
      return rawLog.append(proposalStream(proposalId(p)), event.type, JSON.stringify(event.data), metadata);
    }),
    close: () => rawLog.close(),
  };
}

/** Not a contender: one `SELECT 1` per call, the round trip every statement of an append pays. */
async function roundTrip() {
  const client = new pg.Client(await database('round_trip'));
  await client.connect();
  return { meter: meter(() => client.query('SELECT 1')), close: () => client.end() };
}

/** The peer's appends of the same events (with the same metadata) to the same streams. */
async function peerMeter(store: PostgresEventStore) {
  const versions: bigint[] = [];
  for (let p = 0; p < PROPOSALS; p += 1) {
    const submitted = proposalSubmitted(p, 'strategic');
    const metadata = { ...delegateMetadata(submitted.data.authorEntityId, `setup-${p}`) };
    await store.appendToStream(proposalStream(proposalId(p)), [{ ...submitted, metadata }], {
      expectedStreamVersion: 0n,
    });
    versions.push(1n);
  }
  return meter(async (i) => {
    const p = i % PROPOSALS;
    const event = commentAdded(p, 'strategic', i);
    const metadata = { ...delegateMetadata(String(event.data.entityId), `bench-${i}`) };
    const result = await store.appendToStream(proposalStream(proposalId(p)), [{ ...event, metadata }], {
      expectedStreamVersion: versions[p] ?? 0n,
    });
    versions[p] = result.nextExpectedStreamVersion;
  });
}

/**
 * The peer in its two configurations, each on a database of its own: its event store as documented (a
 * connection pool, schema migrated once), and a session holding one connection for every append.
 */
async function peers() {
  const pooled = getPostgreSQLEventStore(await database('peer_pooled'));
  await pooled.schema.migrate();
  const sessionStore = getPostgreSQLEventStore(await database('peer_session'));
  await sessionStore.schema.migrate();
  let endSession: () => void = () => undefined;
  const sessionEnded = new Promise<void>((resolve) => {
    endSession = resolve;
  });
  const session = await new Promise<PostgresEventStore>((resolve, reject) => {
    sessionStore
      .withSession(async ({ eventStore }) => {
        resolve(eventStore);
        await sessionEnded;
      })
      .catch(reject);
  });
  return {
    pooled: { meter: await peerMeter(pooled), close: () => pooled.close() },
    session: {
      meter: await peerMeter(session),
      close: async () => {
        endSession();
        await sessionStore.close();
      },
    },
  };
}

const peer = await peers();
const contenders = {
  raw: await raw('raw'),
  floor: await raw('floor'),
  ours: await ours(),
  peerPooled: peer.pooled,
  peerSession: peer.session,
  roundTrip: await roundTrip(),
};
const NAMES = ['raw', 'ours', 'peerPooled', 'peerSession', 'floor', 'roundTrip'] as const;
for (const name of NAMES) await contenders[name].meter.warm(300);
for (let slice = 1; slice <= ROUNDS; slice += 1) {
  for (const name of NAMES) await contenders[name].meter.slice(SLICE_SECONDS);
}
const rate = Object.fromEntries(NAMES.map((name) => [name, contenders[name].meter.rate()])) as Record<
  (typeof NAMES)[number],
  number
>;
log(`pg append: ${NAMES.map((name) => `${name} ${Math.round(rate[name])}`).join(', ')} calls/s`);
// Per sequential append (warm-up and slices): the shared log's transaction; the rest is the instance's.
const { ms: sharedLogMs, batches } = contenders.ours.sharedLog;
// Not a bar: what the same library call does when callers do not wait for each other.
const concurrent = await contenders.ours.concurrent((ROUNDS * SLICE_SECONDS) / 2);
log(`pg append: ours with ${CALLERS} concurrent callers ${Math.round(concurrent)} events/s`);
for (const name of NAMES) await contenders[name].close();
for (const created of databases) await created.drop();
await server.stop();

const peerBest = rate.peerPooled >= rate.peerSession ? 'pooled' : 'one session connection';
const details = {
  slices: ROUNDS,
  secondsPerSlice: SLICE_SECONDS,
  replica: 'SQLite in memory (REPLICA_PATH default)',
  oursMsPerAppend: round(1000 / rate.ours, 3),
  oursMsInSharedLogTransaction: round(sharedLogMs / batches, 3),
  rawMsPerInsert: round(1000 / rate.raw, 3),
  floorMsPerAutocommitInsert: round(1000 / rate.floor, 3),
  selectOneRoundTripMs: round(1000 / rate.roundTrip, 3),
  peerPooled: Math.round(rate.peerPooled),
  peerSession: Math.round(rate.peerSession),
  [`oursWith${CALLERS}ConcurrentCallers`]: Math.round(concurrent),
};
const figures: Figure[] = [
  {
    name: 'pg-append-vs-raw',
    unit: 'events/s',
    value: Math.round(rate.ours),
    baseline: {
      name: 'raw pg insert of the same row, one transaction per event (BEGIN, INSERT, COMMIT)',
      value: Math.round(rate.raw),
    },
    higherIsBetter: true,
    bar: 0.6,
    details,
  },
  {
    name: 'pg-append-vs-peer',
    unit: 'events/s',
    value: Math.round(rate.ours),
    baseline: {
      name: 'emmett-postgresql 0.42.0 appendToStream, one event per call, its faster configuration (pooled store or one session connection)',
      value: Math.round(Math.max(rate.peerPooled, rate.peerSession)),
    },
    higherIsBetter: true,
    bar: 2,
    details: {
      ...details,
      peerFastest: peerBest,
      vsPeerPooled: round(rate.ours / rate.peerPooled),
      // What the floor (one autocommitted insert, nothing of a log) would score: the reach of this ratio.
      floorVsPeer: round(rate.floor / Math.max(rate.peerPooled, rate.peerSession)),
    },
  },
];
writeResult(args.out, {
  figures,
  shared: { peerAppendsPerSecond: Math.round(Math.max(rate.peerPooled, rate.peerSession)) },
});
