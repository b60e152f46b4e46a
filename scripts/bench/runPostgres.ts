/**
 * `npm run bench -- --store postgres`: the PostgreSQL figures of issue 23, each a ratio against a baseline
 * of the same run on the same throw-away server, written to bench/results-postgres.json and printed as a
 * table. Figures whose scenario is not written yet are listed as not measured, with that said.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, describeError, type Figure, log, ROOT, runTs, type ScenarioResult } from './lib';

const PLANNED: Figure[] = [
  {
    name: 'pg-append-vs-raw',
    unit: 'events/s',
    value: null,
    baseline: { name: 'raw pg insert of the same row, one transaction per event, synchronous_commit=on', value: null },
    higherIsBetter: true,
    bar: 0.6,
  },
  {
    name: 'pg-http-vs-bare',
    unit: 'req/s',
    value: null,
    baseline: { name: 'bare Fastify route, one raw pg insert of the same row per request', value: null },
    higherIsBetter: true,
    bar: 0.6,
    note: 'not measured: scenario not written yet',
  },
  {
    name: 'pg-append-vs-peer',
    unit: 'events/s',
    value: null,
    baseline: { name: '@event-driven-io/emmett-postgresql 0.42.0, same events, same server', value: null },
    higherIsBetter: true,
    bar: 2,
    note: 'not measured: scenario not written yet',
  },
  {
    name: 'cross-instance-fanout-p99',
    unit: 'ms',
    value: null,
    baseline: { name: 'the same delivery to 500 clients with one instance', value: null },
    higherIsBetter: false,
    bar: 0.67,
    note: 'not measured: scenario not written yet',
  },
];

export async function runPostgres(quick: boolean, table: (figures: Figure[]) => string): Promise<void> {
  const found = new Map<string, Figure>();
  try {
    const result = await runTs<ScenarioResult>(path.join(BENCH_DIR, 'pgAppend.ts'), quick ? ['--quick'] : [], {
      timeoutMs: 300_000,
    });
    for (const figure of result.figures) found.set(figure.name, figure);
  } catch (error) {
    log(`pgAppend.ts failed: ${describeError(error)}`);
  }
  const figures = PLANNED.map(
    (planned) => found.get(planned.name) ?? { ...planned, note: planned.note ?? 'not measured' },
  );
  const results = { store: 'postgres', quick, node: process.version, cpus: os.cpus().length, figures };
  writeFileSync(path.join(ROOT, 'bench', 'results-postgres.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${table(figures)}\n`);
}
