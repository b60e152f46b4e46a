/**
 * Search latency on PostgreSQL (not one of the suite's figures): `tsx scripts/bench/pgSearch.ts [--quick]
 * [--events N]`, the PostgreSQL counterpart of search.ts. Restores the log made by
 * `scripts/generate-log.ts` (1,000,000 events; 100,000 with --quick) into a database of its own on the
 * run's server (BENCH_POSTGRES_URL, or a throw-away one), which also fills the search index, then times
 * the proposal list's `q` filter (first page of 50) for a member and an observer, and similar proposals for
 * a new text, as the routes run them (the index followed first, the hits joined with the replica), each
 * query repeated and reported as its median and slowest, in ms.
 */
import { loadConfig, systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { restorePostgres } from '../pgBackup';
import { generatedLog } from './logs';
import { log, round } from './lib';
import { QUERIES, SIMILAR_TEXT, searchArgs, timed } from './searchCases';
import { freshDatabase, scenarioPostgres } from './pgServer';

const { events, repeat } = searchArgs();

const file = await generatedLog(events, ['strategic', 'operational']);
const server = await scenarioPostgres();
const database = await freshDatabase(server.url, 'search');
try {
  const config = loadConfig({ DATABASE_URL: database.url, PG_STATEMENT_TIMEOUT_MS: '60000' });
  let started = performance.now();
  await restorePostgres(config, file, (line) => log(`restore: ${line}`));
  const restoreSeconds = round((performance.now() - started) / 1000, 1);
  started = performance.now();
  const runtime = await openRuntime({ ...config, SQLITE_SYNCHRONOUS: 'NORMAL', BUSY_TIMEOUT_MS: 5000 }, systemClock);
  const replicaSeconds = round((performance.now() - started) / 1000, 1);
  try {
    const search = runtime.pgSearch;
    if (!search) throw new Error('not a PostgreSQL runtime');
    const rows: Record<string, unknown> = {};
    for (const q of QUERIES) {
      // PostgreSQL's part alone: the follow (nothing to do) and the hits query, their rows sent back.
      rows[`hits q="${q}" member`] = await timed(repeat, () =>
        search.hits(q, { groups: ['strategic'], includeMembers: true }),
      );
      for (const includeMembers of [true, false]) {
        rows[`list q="${q}" ${includeMembers ? 'member' : 'observer'}`] = await timed(repeat, async () => {
          const hits = await search.hits(q, { groups: ['strategic'], includeMembers });
          return runtime.proposals.list({ groupId: 'strategic', includeMembers, q, hits, limit: 50 }).items;
        });
      }
    }
    const text = SIMILAR_TEXT;
    rows['similar (both groups)'] = await timed(repeat, () =>
      search.similar(text, { groups: ['strategic', 'operational'], includeMembers: true }),
    );
    for (const [name, row] of Object.entries(rows)) log(`pg search ${name}: ${JSON.stringify(row)}`);
    process.stdout.write(`${JSON.stringify({ events, restoreSeconds, replicaSeconds, rows }, null, 2)}\n`);
  } finally {
    await runtime.close();
  }
} finally {
  await database.drop();
  await server.stop();
}
