import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, median, runTs } from './lib';
import type { HttpLoadResult, HttpPlan } from './load-http';

/** Runs the HTTP load generator (load-http.ts, a process of its own) with a plan; returns what it measured. */
export async function loadHttp(plan: HttpPlan, planDir: string): Promise<HttpLoadResult> {
  const planFile = path.join(planDir, `plan-${Date.now()}.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  const result = await runTs<{ shared: HttpLoadResult }>(path.join(BENCH_DIR, 'load-http.ts'), ['--plan', planFile]);
  return result.shared;
}

/** The median of the rounds (of two: their mean), and every error and status code of them. */
export function summariseLoads(runs: HttpLoadResult[]) {
  return {
    requestsPerSecond: Math.round(median(runs.map((run) => run.requestsPerSecond))),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    statusCodes: runs.map((run) => run.statusCodes),
  };
}

export const describeLoad = (name: string, run: HttpLoadResult) =>
  `${name} ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, errors ${run.errors + run.non2xx}`;
