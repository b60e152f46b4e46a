/**
 * PostgreSQL scenario 2, commands over HTTP: the HTTP scenario's load (50 connections from autocannon in its
 * own process, comments and endorsement toggles across 200 proposals) against the whole service on a
 * postgres:// URL (its log in PostgreSQL, its replica and views in SQLite, the tail listening), vs a bare
 * Fastify route doing one raw `pg` insert of the event's row per request on the same server, with a pool of
 * as many connections as the service's (PG_POOL_SIZE, 10 by default).
 */
import Fastify from 'fastify';
import { benchArgs, describeError, log, removeDir, scratchDir, writeResult, type Figure } from './lib';
import { describeLoad, loadHttp, summariseLoads } from './httpLoad';
import type { HttpLoadResult, HttpPlan } from './load-http';
import { delegateTokens, startServer, submitProposals } from './server';
import { delegateMetadata } from './domain';
import { openRawPgLog } from './pgRawLog';
import { freshDatabase, scenarioPostgres } from './pgServer';

const args = benchArgs();
const CONNECTIONS = 50;
const PROPOSALS = 200;
const POOL = 10;
const ROUNDS = args.quick ? 1 : 2;
const DURATION = args.quick ? 5 : 15;
const WARMUP = args.quick ? 1 : 3;
const dir = scratchDir('pg-http');
const server = await scenarioPostgres();
const oursRuns: HttpLoadResult[] = [];
const bareRuns: HttpLoadResult[] = [];
const oursCpu: number[] = [];
const bareCpu: number[] = [];

/**
 * The load, and this process's CPU (the server runs here) per second meanwhile: the busiest second's share
 * (100% = one core) shows whether the server's thread or the rest of the machine is the limit.
 */
async function loadWithCpu(plan: HttpPlan, cpu: number[]): Promise<HttpLoadResult> {
  let last = process.cpuUsage();
  let peak = 0;
  const timer = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    peak = Math.max(peak, (used.user + used.system) / 10_000);
  }, 1000);
  try {
    return await loadHttp(plan, dir);
  } finally {
    clearInterval(timer);
    cpu.push(Math.round(peak));
  }
}

const plan = (url: string, tokens: HttpPlan['tokens'], proposals: HttpPlan['proposals']): HttpPlan => ({
  url,
  connections: CONNECTIONS,
  durationSeconds: DURATION,
  warmupSeconds: WARMUP,
  tokens,
  proposals,
});

/** The baseline: Fastify with one raw `pg` insert (its own transaction) per request and nothing else. */
async function bare(): Promise<HttpLoadResult> {
  const database = await freshDatabase(server.url, 'bare');
  const store = await openRawPgLog(database.url, POOL);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const metadata = JSON.stringify(delegateMetadata('europol', 'bare'));
  const insert = (type: string) => async (request: { params: unknown; body: unknown }) => {
    const { id } = request.params as { id: string };
    const data = JSON.stringify({ proposalId: id, ...(request.body ?? {}) });
    return { position: await store.append(`proposal-${id}`, type, data, metadata) };
  };
  app.post('/proposals/:id/comments', async (request, reply) =>
    reply.code(201).send(await insert('CommentAdded')(request)),
  );
  app.post('/proposals/:id/endorsements', async (request, reply) =>
    reply.code(201).send(await insert('Endorsed')(request)),
  );
  app.delete('/proposals/:id/endorsements', async (request) => insert('EndorsementWithdrawn')(request));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const tokens = Array.from({ length: CONNECTIONS }, (_, i) => ({ token: `bare-${i}`, entityId: `e${i % 9}` }));
    const proposals = Array.from({ length: PROPOSALS }, (_, i) => ({ id: `p${i}`, authorEntityId: `e${(i + 1) % 9}` }));
    return await loadWithCpu(plan(`http://127.0.0.1:${port}`, tokens, proposals), bareCpu);
  } finally {
    await app.close();
    await store.close();
    await database.drop();
  }
}

async function ours(): Promise<HttpLoadResult> {
  const database = await freshDatabase(server.url, 'ours_http');
  const instance = await startServer(database.url, { PG_POOL_SIZE: String(POOL) });
  try {
    const tokens = await delegateTokens(instance.runtime, CONNECTIONS);
    const proposals = await submitProposals(instance.url, tokens, PROPOSALS);
    return await loadWithCpu(plan(instance.url, tokens, proposals), oursCpu);
  } finally {
    await instance.close();
    await database.drop();
  }
}

let failure: string | undefined;
for (let round = 1; round <= ROUNDS && !failure; round += 1) {
  // Odd rounds measure the baseline first, even rounds ours first: a drift of the machine falls on both.
  if (round % 2 === 1) bareRuns.push(await bare());
  try {
    oursRuns.push(await ours());
  } catch (error) {
    failure = describeError(error);
    log(`pg http: ours not measured: ${failure}`);
  }
  if (round % 2 === 0) bareRuns.push(await bare());
  const [lastBare, lastOurs] = [bareRuns.at(-1), oursRuns.at(-1)];
  log(
    `pg http round ${round}: ${lastBare ? describeLoad('bare', lastBare) : ''}; ${lastOurs ? describeLoad('ours', lastOurs) : ''}`,
  );
}
removeDir(dir);
await server.stop();

const oursSummary = oursRuns.length > 0 ? summariseLoads(oursRuns) : undefined;
const figure: Figure = {
  name: 'pg-http-vs-bare',
  unit: 'req/s',
  value: oursSummary ? oursSummary.requestsPerSecond : null,
  baseline: {
    name: "bare Fastify route, one raw pg insert of the event's row per request in its own transaction (the log's table and unique keys), pool of 10",
    value: summariseLoads(bareRuns).requestsPerSecond,
  },
  higherIsBetter: true,
  bar: 0.6,
  details: {
    connections: CONNECTIONS,
    proposals: PROPOSALS,
    poolSize: POOL,
    seconds: DURATION,
    rounds: ROUNDS,
    ours: oursSummary ?? null,
    bare: summariseLoads(bareRuns),
    serverCpuPeakPercent: { ours: oursCpu, bare: bareCpu },
  },
};
if (failure) figure.note = `not measured: ${failure}`;
else if (oursSummary && oursSummary.errors > 0)
  figure.note = `${oursSummary.errors} of ${oursSummary.requests} requests failed`;
writeResult(args.out, { figures: [figure] });
