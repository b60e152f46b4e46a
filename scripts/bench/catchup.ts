/**
 * Scenario 5, catch-up: a client subscribing with since=0 to a group with 100,000 events (20,000 with
 * --quick) until it has received the head, vs a raw better-sqlite3 read (iterate + JSON.parse) of the
 * same events. The server runs in this process on a copy of a generated log; the client in another.
 */
import { copyFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { prepare } from '../../src/db/statements';
import { EVENT_COLUMN_NAMES } from '../../src/eventStore/rawRows';
import { benchArgs, describeError, log, median, removeDir, round, scratchDir, writeResult, type Figure } from './lib';
import { generatedLog } from './logs';
import { startPool } from './pool';
import { commentAdded, delegateMetadata } from './domain';
import { dbFile, delegateTokens, hasRoute, startServer } from './server';

const args = benchArgs();
const EVENTS = args.quick ? 20_000 : 100_000;
const ROUNDS = args.quick ? 1 : 3;
const GROUP = 'strategic';
const dir = scratchDir('catchup');

function rawRead(file: string): { elapsedMs: number; events: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  const started = performance.now();
  let events = 0;
  const rows = prepare(db, (kysely) =>
    kysely.selectFrom('events').select(EVENT_COLUMN_NAMES).orderBy('position'),
  ).iterate();
  for (const row of rows) {
    const data = JSON.parse(row.data) as { groupId?: string };
    JSON.parse(row.metadata);
    if (data.groupId === GROUP) events += 1;
  }
  const elapsedMs = performance.now() - started;
  db.close();
  return { elapsedMs, events };
}

const source = await generatedLog(EVENTS, [GROUP]);
const file = dbFile(dir, 'catchup');
copyFileSync(source, file);
const raws = Array.from({ length: ROUNDS }, () => rawRead(file));
log(`catch-up: raw read of ${raws[0]?.events} group events in ${Math.round(median(raws.map((r) => r.elapsedMs)))} ms`);

/** Serves the copy and times ROUNDS since=0 subscribers; `env` overrides the server's configuration. */
async function measure(env: Record<string, string>): Promise<{ elapsedMs: number; events: number }[]> {
  const runs: { elapsedMs: number; events: number }[] = [];
  const server = await startServer(file, env);
  try {
    if (!hasRoute(server.app, 'GET', '/ws')) throw new Error('the service has no GET /ws yet');
    const [reader] = await delegateTokens(server.runtime, 1);
    if (!reader) throw new Error('no token');
    // The head must be an event of the group (tokens are not group content): one more comment, written
    // like the generator's events (the catch-up is what is measured here, not the command).
    const last = prepare(server.runtime.db.sqlite, (db) =>
      db
        .selectFrom('events')
        .select(['stream_id', 'version'])
        .where('stream_id', 'like', sql.lit('proposal-%'))
        .orderBy('position', 'desc')
        .limit(sql.lit(1)),
    ).get();
    if (!last) throw new Error('the generated log has no proposal');
    const index = Number(last.stream_id.slice('proposal-bench'.length));
    await server.runtime.store.append({
      streamId: last.stream_id,
      expectedVersion: last.version,
      events: [commentAdded(index, GROUP, last.version)],
      metadata: delegateMetadata(reader.entityId, 'bench-catchup'),
    });
    const head = server.runtime.store.reader.head().position;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const run = await pool.call<{ elapsedMs: number; events: number }>({
        cmd: 'catchup',
        wsUrl: `ws://127.0.0.1:${server.port}/ws`,
        token: reader.token,
        topic: `group:${GROUP}`,
        head,
      });
      runs.push(run);
      log(`catch-up round ${round}: ${run.events} events, live after ${Math.round(run.elapsedMs)} ms`);
    }
    return runs;
  } finally {
    await server.close();
  }
}

let failure: string | undefined;
let caveat: string | undefined;
let runs: { elapsedMs: number; events: number }[] = [];
const pool = await startPool();
try {
  try {
    runs = await measure({});
  } catch (error) {
    // A subscriber closed with 1013 at the default send-buffer bound never reaches live (it would resume
    // with `since` and be closed again): say so, and measure the catch-up itself with a larger bound.
    const message = describeError(error);
    if (!message.includes('closed with 1013')) throw error;
    caveat = `with WS_MAX_BUFFERED_BYTES=64 MiB: at the default (1 MiB) the subscriber was ${message.replace('socket ', '')}`;
    log(`catch-up: ${caveat}`);
    runs = await measure({ WS_MAX_BUFFERED_BYTES: String(64 * 1024 * 1024) });
  }
} catch (error) {
  failure = describeError(error);
  log(`catch-up: not measured: ${failure}`);
} finally {
  await pool.exit();
  removeDir(dir);
}

const figure: Figure = {
  name: 'catchup-vs-raw-read',
  unit: 'ms',
  value: runs.length > 0 ? round(median(runs.map((run) => run.elapsedMs)), 1) : null,
  baseline: {
    name: 'raw better-sqlite3 iterate() + JSON.parse of the same events',
    value: round(median(raws.map((r) => r.elapsedMs)), 1),
  },
  higherIsBetter: false,
  bar: 0.5,
  details: { groupEvents: raws[0]?.events ?? 0, eventsReceived: runs[0]?.events ?? null, rounds: ROUNDS },
};
if (failure) figure.note = `not measured: ${failure}`;
else if (caveat) figure.note = caveat;
writeResult(args.out, { figures: [figure] });
