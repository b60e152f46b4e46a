/**
 * `npm run bench` (`-- --quick` for the one-minute version): runs every scenario of issue 7, each in its
 * own process, one after the other, writes bench/results.json and prints the markdown table on stdout.
 * Every figure is a ratio against a baseline measured in the same run. A scenario that fails leaves its
 * figures listed with `value: null` and a note; the suite still completes. `-- --store postgres` runs the
 * PostgreSQL store's figures instead (runPostgres.ts, bench/results-postgres.json).
 */
import os from 'node:os';
import { benchArgs, describeError, log, type Figure } from './lib';
import { ensurePeerInstalled } from './peerInstall';
import { renderTable, runScenarios, writeResults, type Scenario } from './report';
import { runPostgres } from './runPostgres';

const args = benchArgs();
const quick = args.quick;
const storeAt = args.rest.indexOf('--store');
const store = storeAt >= 0 ? args.rest[storeAt + 1] : 'sqlite';
if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store takes sqlite or postgres, not ${store}`);

/** Every figure of the issue, in its order, as listed when it could not be measured. */
const TEMPLATES: Figure[] = [
  {
    name: 'append-vs-raw-full',
    unit: 'events/s',
    value: null,
    baseline: { name: 'raw better-sqlite3 insert, one transaction per event, synchronous=FULL', value: null },
    higherIsBetter: true,
    bar: 0.7,
  },
  {
    name: 'append-vs-peer',
    unit: 'events/s',
    value: null,
    baseline: {
      name: 'emmett-sqlite 0.38.5 appendToStream, one event per call, one kept-open connection, synchronous=FULL',
      value: null,
    },
    higherIsBetter: true,
    bar: 4,
  },
  {
    name: 'http-vs-bare',
    unit: 'req/s',
    value: null,
    baseline: {
      name: "bare Fastify route, one raw insert of the event's row per request (the log's table and unique keys), synchronous=NORMAL",
      value: null,
    },
    higherIsBetter: true,
    bar: 0.6,
  },
  {
    name: 'http-vs-peer',
    unit: 'req/s',
    value: null,
    baseline: {
      name: 'emmett-sqlite 0.38.5 one-event appends/s (one kept-open connection, synchronous=FULL)',
      value: null,
    },
    higherIsBetter: true,
    bar: 4,
  },
  {
    name: 'fanout-p99-500',
    unit: 'ms',
    value: null,
    baseline: { name: 'bare ws broadcast of a same-size payload, same trigger, 500 clients', value: null },
    higherIsBetter: false,
    bar: 0.67,
  },
  {
    name: 'rebuild-vs-raw-scan',
    unit: 'events/s',
    value: null,
    baseline: { name: 'raw better-sqlite3 iterate() + JSON.parse of the same table', value: null },
    higherIsBetter: true,
    bar: 0.5,
  },
  {
    name: 'catchup-vs-raw-read',
    unit: 'ms',
    value: null,
    baseline: { name: 'raw better-sqlite3 iterate() + JSON.parse of the same events', value: null },
    higherIsBetter: false,
    bar: 0.5,
  },
  {
    name: 'idle-sockets-rss-2000',
    unit: 'MB',
    value: null,
    baseline: { name: 'budget: 400 MB', value: 400 },
    higherIsBetter: false,
    bar: 1,
  },
  {
    name: 'web-live-vs-ws',
    unit: 'ms',
    value: null,
    baseline: { name: 'p95 from the same commands to a plain ws client subscribed to the same topic', value: null },
    higherIsBetter: false,
    bar: 0.5,
  },
  {
    name: 'web-list-1000-vs-fetch',
    unit: 'ms',
    value: null,
    baseline: { name: 'plain fetch of the same list JSON from the same page, median', value: null },
    higherIsBetter: false,
    bar: 1 / 3,
  },
  {
    name: 'web-js-gzip-kb',
    unit: 'KB',
    value: null,
    baseline: { name: 'budget: 150 KB', value: 150 },
    higherIsBetter: false,
    bar: 1,
  },
];

const SCENARIOS: Scenario[] = [
  { file: 'append.ts', figures: ['append-vs-raw-full', 'append-vs-peer'], timeoutMs: 180_000 },
  { file: 'http.ts', figures: ['http-vs-bare'], timeoutMs: 360_000 },
  {
    file: 'fanout.ts',
    figures: ['fanout-p99-500', 'idle-sockets-rss-2000'],
    nodeArgs: ['--expose-gc'],
    timeoutMs: 300_000,
  },
  { file: 'rebuild.ts', figures: ['rebuild-vs-raw-scan'], timeoutMs: 900_000 },
  { file: 'catchup.ts', figures: ['catchup-vs-raw-read'], timeoutMs: 600_000 },
  { file: 'web.ts', figures: ['web-live-vs-ws', 'web-list-1000-vs-fetch', 'web-js-gzip-kb'], timeoutMs: 180_000 },
];

async function sqliteSuite(): Promise<void> {
  // Before the clock of the append scenario starts: a first install compiles sqlite3 (a minute or two).
  try {
    ensurePeerInstalled();
  } catch (error) {
    log(`the peer could not be installed: ${describeError(error)}`);
  }
  const started = performance.now();
  const { found, shared } = await runScenarios(SCENARIOS, TEMPLATES, { quick });

  // http-vs-peer puts the HTTP figure against the peer's library-level appends of the append scenario.
  const http = found.get('http-vs-bare');
  const peer = shared.peerAppendsPerSecond;
  const httpVsPeer: Figure = { ...(TEMPLATES[3] as Figure) };
  httpVsPeer.value = http?.value ?? null;
  httpVsPeer.baseline = { ...httpVsPeer.baseline, value: peer !== undefined && peer > 0 ? peer : null };
  if (httpVsPeer.value === null) httpVsPeer.note = http?.note ?? 'the HTTP scenario was not measured';
  else if (httpVsPeer.baseline.value === null) httpVsPeer.note = 'the peer was not measured';
  found.set('http-vs-peer', httpVsPeer);

  const figures = TEMPLATES.map((template) => found.get(template.name) ?? { ...template, note: 'not measured' });
  writeResults('results.json', { quick, node: process.version, cpus: os.cpus().length, figures });
  const header =
    `Benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}; ` +
    'peer = @event-driven-io/emmett-sqlite 0.38.5 on ONE kept-open connection (its fastest configuration), WAL, synchronous=FULL.';
  process.stdout.write(renderTable(header, figures, started));
}

if (store === 'postgres') await runPostgres(quick);
else await sqliteSuite();
