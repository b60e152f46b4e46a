/**
 * PostgreSQL scenario 3, instances: the service in one or two processes (pgInstance.ts) on one database.
 * - cross-instance-fanout-p99: 500 clients (ws-clients.ts, a process of its own) subscribed to a group on
 *   instance B while comments are posted to instance A at 100/s; p99 from each command's sending to its
 *   receipt, vs the same with one instance (clients and commands on it, no second instance running).
 * - pg-http-two-instances-vs-one (informational): the HTTP scenario's load, 50 connections, on one instance
 *   vs spread over two on one log (both loaded), commands/s.
 * Odd rounds measure one instance first, even rounds two first; a new database for every cluster.
 */
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { BENCH_DIR, benchArgs, log, nextMessage, removeDir, round, scratchDir, spawnTs, writeResult } from './lib';
import type { Figure } from './lib';
import { describeLoad, loadHttp, summariseLoads } from './httpLoad';
import type { HttpLoadResult } from './load-http';
import type { InstanceReady } from './pgInstance';
import { startPool, type Pool } from './pool';
import { freshDatabase, scenarioPostgres } from './pgServer';
import type { FanoutReport } from './ws-clients';

const args = benchArgs();
const CLIENTS = 500;
const RATE = 100;
const SECONDS = args.quick ? 4 : 10;
const CONNECTIONS = 50;
const DURATION = args.quick ? 5 : 15;
const WARMUP = args.quick ? 1 : 3;
const ROUNDS = args.quick ? 1 : 2;
const COMMENT = JSON.stringify({
  body: 'We support the alert format; could the field list be reviewed after six months of use?',
});
const dir = scratchDir('pg-instances');
const server = await scenarioPostgres();

interface Cluster {
  instances: InstanceReady[];
  /** Each instance's busiest second of CPU since the last call (100 = one core). */
  cpuPeaks(): Promise<number[]>;
  /** Each instance's group commits so far, by path. */
  batches(): Promise<Batches[]>;
  close(): Promise<void>;
}

interface Batches {
  head: number;
  locked: number;
}

async function startInstance(url: string, setup: boolean): Promise<{ child: ChildProcess; ready: InstanceReady }> {
  const child = spawnTs(path.join(BENCH_DIR, 'pgInstance.ts'), [url, ...(setup ? ['setup'] : [])]);
  return { child, ready: await nextMessage<InstanceReady>(child) };
}

/** `count` instances on a new database; the first issues the tokens and submits the proposals. */
async function cluster(count: 1 | 2): Promise<Cluster> {
  const database = await freshDatabase(server.url, `instances${count}`);
  const started = [await startInstance(database.url, true)];
  if (count === 2) started.push(await startInstance(database.url, false));
  return {
    instances: started.map((instance) => instance.ready),
    cpuPeaks: async () => {
      const peaks: number[] = [];
      for (const { child } of started) {
        const answer = nextMessage<{ cpuPeakPercent: number }>(child);
        child.send('cpu');
        peaks.push((await answer).cpuPeakPercent);
      }
      return peaks;
    },
    batches: async () => {
      const counts: Batches[] = [];
      for (const { child } of started) {
        const answer = nextMessage<Batches>(child);
        child.send('batches');
        counts.push(await answer);
      }
      return counts;
    },
    close: async () => {
      for (const { child } of started) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send('exit');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await database.drop();
    },
  };
}

/** Clients on `to`, commands to `from` (the first instance, which issued the tokens). */
async function fanout(pool: Pool, from: InstanceReady, to: InstanceReady): Promise<FanoutReport> {
  await pool.call({
    cmd: 'connect',
    wsUrl: `ws://127.0.0.1:${to.port}/ws`,
    tokens: from.tokens.map((t) => t.token),
    clients: CLIENTS,
    topic: 'group:strategic',
  });
  const requests = from.proposals.map((proposal, i) => ({
    url: `${from.url}/proposals/${proposal.id}/comments`,
    token: from.tokens[(i + 1) % from.tokens.length]?.token ?? '',
    body: COMMENT,
  }));
  try {
    return await pool.call<FanoutReport>({ cmd: 'fanout', rate: RATE, seconds: SECONDS, requests });
  } finally {
    await pool.call({ cmd: 'disconnect' });
  }
}

function throughput(instances: InstanceReady[]): Promise<HttpLoadResult> {
  const [first] = instances;
  if (!first) throw new Error('no instance');
  return loadHttp(
    {
      url: first.url,
      urls: instances.map((instance) => instance.url),
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      tokens: first.tokens.slice(0, CONNECTIONS),
      proposals: first.proposals,
    },
    dir,
  );
}

interface Side {
  fanouts: FanoutReport[];
  loads: HttpLoadResult[];
  /** Per load, each instance's busiest second of CPU during it. */
  cpu: number[][];
  /** Per load, each instance's share of group commits decided under the head row's lock. */
  locked: number[][];
}

/** One cluster's measurements: fan-out (on B when there are two), then the load over every instance. */
async function measure(pool: Pool, count: 1 | 2, side: Side): Promise<void> {
  const started = await cluster(count);
  try {
    const [a, b] = started.instances;
    if (!a) throw new Error('no instance');
    const report = await fanout(pool, a, b ?? a);
    side.fanouts.push(report);
    const label = count === 1 ? 'one instance' : 'A to B';
    log(
      `pg fan-out ${label}: p50 ${round(report.p50Ms)} ms, p99 ${round(report.p99Ms)} ms, ${report.deliveries}/${report.expected}`,
    );
    await started.cpuPeaks();
    const before = await started.batches();
    const load = await throughput(started.instances);
    const cpu = await started.cpuPeaks();
    const after = await started.batches();
    side.loads.push(load);
    side.cpu.push(cpu);
    // Per instance, the share of its group commits during the load that were decided under the head's lock.
    side.locked.push(
      after.map((counts, i) => {
        const head = counts.head - (before[i]?.head ?? 0);
        const locked = counts.locked - (before[i]?.locked ?? 0);
        return head + locked === 0 ? 0 : round(locked / (head + locked));
      }),
    );
    log(`pg load on ${count} instance(s): ${describeLoad('', load)}, server CPU peak ${cpu.join(' + ')}%`);
  } finally {
    await started.close();
  }
}

const pool = await startPool();
const one: Side = { fanouts: [], loads: [], cpu: [], locked: [] };
const two: Side = { fanouts: [], loads: [], cpu: [], locked: [] };
try {
  for (let r = 1; r <= ROUNDS; r += 1) {
    if (r % 2 === 1) await measure(pool, 1, one);
    await measure(pool, 2, two);
    if (r % 2 === 0) await measure(pool, 1, one);
  }
} finally {
  await pool.exit();
  removeDir(dir);
  await server.stop();
}

/** The round with the lower p99, on both sides alike (as fanout.ts): a stall of the machine falls in one. */
const best = (reports: FanoutReport[]) =>
  reports.reduce<FanoutReport | undefined>(
    (kept, report) => (!kept || report.p99Ms < kept.p99Ms ? report : kept),
    undefined,
  );
const strip = (report: FanoutReport | undefined) =>
  report ? { ...report, p50Ms: round(report.p50Ms), p99Ms: round(report.p99Ms), sample: undefined } : null;
const [cross, single] = [best(two.fanouts), best(one.fanouts)];
const fanoutFigure: Figure = {
  name: 'cross-instance-fanout-p99',
  unit: 'ms',
  value: cross ? round(cross.p99Ms) : null,
  baseline: {
    name: 'the same 500 clients and commands on one instance (no second one running)',
    value: single ? round(single.p99Ms) : null,
  },
  higherIsBetter: false,
  bar: 0.67,
  details: {
    clients: CLIENTS,
    ratePerSecond: RATE,
    seconds: SECONDS,
    rounds: ROUNDS,
    latencyFrom: 'command sent',
    crossInstance: strip(cross),
    oneInstance: strip(single),
  },
};
if (cross && cross.deliveries < cross.expected)
  fanoutFigure.note = `${cross.expected - cross.deliveries} of ${cross.expected} deliveries missing`;
const [twoLoad, oneLoad] = [summariseLoads(two.loads), summariseLoads(one.loads)];
const instancesFigure: Figure = {
  name: 'pg-http-two-instances-vs-one',
  unit: 'req/s',
  value: twoLoad.requestsPerSecond,
  baseline: { name: 'the same load (50 connections) on one instance', value: oneLoad.requestsPerSecond },
  higherIsBetter: true,
  bar: 0,
  informational: true,
  details: {
    connections: CONNECTIONS,
    seconds: DURATION,
    rounds: ROUNDS,
    twoInstances: twoLoad,
    oneInstance: oneLoad,
    serverCpuPeakPercent: { twoInstances: two.cpu, oneInstance: one.cpu },
    lockedBatchShare: { twoInstances: two.locked, oneInstance: one.locked },
  },
};
if (twoLoad.errors > 0) instancesFigure.note = `${twoLoad.errors} of ${twoLoad.requests} requests failed`;
writeResult(args.out, { figures: [fanoutFigure, instancesFigure] });
