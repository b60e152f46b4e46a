/**
 * Search latency on a generated log (not one of the suite's figures): `tsx scripts/bench/search.ts
 * [--quick] [--events N]`. Opens the log made by `scripts/generate-log.ts` (1,000,000 events; 100,000 with
 * --quick), then times the proposal list's `q` filter (first page of 50) for a member and an observer, and
 * similar proposals for a new text (the query alone, and as the preview route runs it), each query repeated and reported as its median and slowest, in ms.
 */
import { systemClock } from '../../src/config';
import { ProposalQueries } from '../../src/proposals/queries';
import { similarProposals } from '../../src/proposals/search/search';
import { openRuntime } from '../../src/runtime';
import { generatedLog } from './logs';
import { log } from './lib';
import { QUERIES, SIMILAR_TEXT, searchArgs, timed } from './searchCases';
import { ActionItemQueries } from '../../src/actionItems/queries';

const { events, repeat } = searchArgs();

const file = await generatedLog(events, ['strategic', 'operational']);
const runtime = await openRuntime(
  { DATABASE_URL: file, SQLITE_SYNCHRONOUS: 'NORMAL', BUSY_TIMEOUT_MS: 5000 },
  systemClock,
);
try {
  runtime.search.catchUp();
  const sqlite = runtime.db.sqlite;
  const queries = new ProposalQueries(sqlite, runtime.search.tables, new ActionItemQueries(sqlite));
  const rows: Record<string, unknown> = {};
  for (const q of QUERIES) {
    for (const includeMembers of [true, false]) {
      rows[`list q="${q}" ${includeMembers ? 'member' : 'observer'}`] = await timed(
        repeat,
        () => queries.list({ groupId: 'strategic', includeMembers, q, limit: 50 }).items,
      );
    }
  }
  const text = SIMILAR_TEXT;
  const scope = { tables: runtime.search.tables.visible(['strategic', 'operational'], true) };
  // The query alone (the text not indexed), then the preview route's work: the text indexed in a rolled-back transaction.
  rows['similar (both groups)'] = await timed(repeat, () => similarProposals(sqlite, { seq: 0, ...text }, scope));
  rows['similar preview (both groups)'] = await timed(repeat, () =>
    runtime.search.withProposal({ groupId: 'strategic', visibility: 'dialogue', ...text }, (seq) =>
      similarProposals(sqlite, { seq, ...text }, scope),
    ),
  );
  for (const [name, row] of Object.entries(rows)) log(`search ${name}: ${JSON.stringify(row)}`);
  process.stdout.write(`${JSON.stringify({ events, rows }, null, 2)}\n`);
} finally {
  await runtime.close();
}
