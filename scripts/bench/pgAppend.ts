/**
 * PostgreSQL, append at library level (`npm run bench -- --store postgres`): our store on PostgreSQL (the
 * shared log's transaction with its locked head, then the instance's replica folding the event) against a
 * raw `pg` insert of the same row in one transaction per event, on the same throw-away server with
 * `synchronous_commit=on`. One event per awaited call, rounds alternating the contenders.
 */
import pg from 'pg';
import { systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { startThrowAwayPostgres } from '../../test/support/postgresServer';
import { commentAdded, delegateMetadata, MEMBERS, proposalId, proposalStream, proposalSubmitted } from './domain';
import { benchArgs, log, round, writeResult, type Figure } from './lib';

const args = benchArgs();
const PROPOSALS = 200;
const ROUNDS = args.quick ? 3 : 12;
const SLICE_SECONDS = args.quick ? 0.4 : 0.5;

/** Counts awaited calls of `step` over the slices it is given. */
function meter(step: (i: number) => Promise<unknown>) {
  let i = 0;
  let count = 0;
  let elapsedMs = 0;
  return {
    async slice(seconds: number) {
      const started = performance.now();
      while (performance.now() - started < seconds * 1000) {
        await step(i++);
        count += 1;
      }
      elapsedMs += performance.now() - started;
    },
    rate: () => (count / elapsedMs) * 1000,
  };
}

async function ours(url: string) {
  const runtime = await openRuntime(
    { DATABASE_URL: url, SQLITE_SYNCHRONOUS: 'NORMAL', BUSY_TIMEOUT_MS: 5000 },
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
    close: () => runtime.close(),
  };
}

/** The raw baseline: the log's table and unique keys (no triggers, no head row), one transaction per event. */
async function raw(url: string) {
  const client = new pg.Client(url);
  // The server stops at the end of the run: its goodbye must not be an unhandled error.
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`CREATE TABLE raw_events (
    position BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, version))`);
  const metadata = JSON.stringify(delegateMetadata('europol', 'bench-0'));
  const versions = new Map<string, number>();
  let position = 0;
  return {
    meter: meter(async (i) => {
      const p = i % PROPOSALS;
      const event = commentAdded(p, 'strategic', i);
      const streamId = proposalStream(proposalId(p));
      const version = (versions.get(streamId) ?? 0) + 1;
      position += 1;
      await client.query('BEGIN');
      await client.query({
        name: 'raw_insert',
        text: 'INSERT INTO raw_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        values: [
          position,
          `raw-${position}`,
          streamId,
          version,
          event.type,
          JSON.stringify(event.data),
          metadata,
          new Date().toISOString(),
          'ab'.repeat(32),
          'cd'.repeat(32),
        ],
      });
      await client.query('COMMIT');
      versions.set(streamId, version);
    }),
    close: () => client.end(),
  };
}

const server = await startThrowAwayPostgres();
try {
  const settings = new pg.Client(server.url);
  await settings.connect();
  const synchronousCommit = (await settings.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s"))
    .rows[0]?.s;
  await settings.end();
  if (synchronousCommit !== 'on') throw new Error(`synchronous_commit is ${synchronousCommit}, not on`);
  const contenders = { raw: await raw(server.url), ours: await ours(server.url) };
  const NAMES = ['raw', 'ours'] as const;
  for (let r = 1; r <= ROUNDS; r += 1) for (const name of NAMES) await contenders[name].meter.slice(SLICE_SECONDS);
  const result = { raw: contenders.raw.meter.rate(), ours: contenders.ours.meter.rate() };
  log(`pg append: raw ${Math.round(result.raw)}, ours ${Math.round(result.ours)} events/s (synchronous_commit=on)`);
  await contenders.ours.close();
  await contenders.raw.close();
  const figure: Figure = {
    name: 'pg-append-vs-raw',
    unit: 'events/s',
    value: Math.round(result.ours),
    baseline: {
      name: 'raw pg insert of the same row, one transaction per event, synchronous_commit=on, same server',
      value: Math.round(result.raw),
    },
    higherIsBetter: true,
    bar: 0.6,
    details: { slices: ROUNDS, secondsPerSlice: SLICE_SECONDS, ratio: round(result.ours / result.raw) },
  };
  writeResult(args.out, { figures: [figure] });
} catch (error) {
  log(`pg append failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await server.stop();
}
