/**
 * Scenario 2, commands over HTTP: 50 connections (autocannon, in its own process) posting comments and
 * toggling endorsements across 200 proposals, through the whole service (authenticated, validated,
 * decided, appended durably with group commit, projected, published), vs a bare Fastify route doing one raw
 * better-sqlite3 insert (synchronous=NORMAL) of the event's row per request for the same request mix.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import {
  benchArgs,
  describeError,
  log,
  median,
  removeDir,
  round,
  runTs,
  scratchDir,
  writeResult,
  type Figure,
} from './lib';
import type { HttpLoadResult, HttpPlan } from './load-http';
import { dbFile, delegateTokens, hasRoute, startServer, submitProposals } from './server';
import { delegateMetadata } from './domain';
import { openRawLog } from './rawLog';

const args = benchArgs();
const CONNECTIONS = 50;
const PROPOSALS = 200;
const ROUNDS = args.quick ? 1 : 2;
const DURATION = args.quick ? 5 : 15;
const WARMUP = args.quick ? 1 : 3;
const loader = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-http.ts');
const dir = scratchDir('http');

async function load(plan: HttpPlan): Promise<HttpLoadResult> {
  const planFile = path.join(dir, `plan-${Date.now()}.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  const result = await runTs<{ shared: HttpLoadResult }>(loader, ['--plan', planFile]);
  return result.shared;
}

/**
 * What a bare route stores per request. `event-row`, the figure's baseline: the event's row in the log's
 * table with its unique keys, as the append scenario's raw insert writes it. `minimal`, for reference (an
 * earlier baseline, see docs/performance.md): a five-column row in a table with no index but its row id.
 */
type BareTable = 'event-row' | 'minimal';

interface BareInsert {
  /** Stores one request's command; returns its position. */
  insert(proposalId: string, type: string, body: unknown): number;
  close(): void;
}

function bareInsert(file: string, table: BareTable): BareInsert {
  if (table === 'event-row') {
    const rawLog = openRawLog(file, 'NORMAL');
    return {
      insert: (proposalId, type, body) =>
        rawLog.append(
          `proposal-${proposalId}`,
          type,
          JSON.stringify({ proposalId, ...(body ?? {}) }),
          JSON.stringify(delegateMetadata('europol', `bare-${proposalId}`)),
        ),
      close: () => rawLog.close(),
    };
  }
  // Raw SQL: a five-column table of the baseline's own, not the service's `Database`.
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, type TEXT NOT NULL,
    data TEXT NOT NULL, recorded_at TEXT NOT NULL)`);
  const statement = db.prepare('INSERT INTO events (stream_id, type, data, recorded_at) VALUES (?, ?, ?, ?)');
  return {
    insert: (proposalId, type, body) =>
      Number(
        statement.run(`proposal-${proposalId}`, type, JSON.stringify(body ?? {}), new Date().toISOString())
          .lastInsertRowid,
      ),
    close: () => db.close(),
  };
}

/** The baseline: Fastify with one raw synchronous=NORMAL insert per request and nothing else. */
async function bareServer(round: number, table: BareTable) {
  const store = bareInsert(dbFile(dir, `bare-${table}-${round}`), table);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const handler = (type: string) => async (request: { params: unknown; body: unknown }) => {
    const { id } = request.params as { id: string };
    return { position: store.insert(id, type, request.body) };
  };
  app.post('/proposals/:id/comments', async (request, reply) =>
    reply.code(201).send(await handler('CommentAdded')(request)),
  );
  app.post('/proposals/:id/endorsements', async (request, reply) =>
    reply.code(201).send(await handler('Endorsed')(request)),
  );
  app.delete('/proposals/:id/endorsements', async (request) => handler('EndorsementWithdrawn')(request));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}

async function ours(round: number): Promise<HttpLoadResult> {
  const server = await startServer(dbFile(dir, `ours-${round}`));
  try {
    for (const [method, url] of [
      ['POST', '/groups/:groupId/proposals'],
      ['POST', '/proposals/:id/comments'],
      ['POST', '/proposals/:id/endorsements'],
    ] as const) {
      if (!hasRoute(server.app, method, url)) throw new Error(`the service has no ${method} ${url} yet`);
    }
    const tokens = await delegateTokens(server.runtime, CONNECTIONS);
    const proposals = await submitProposals(server.url, tokens, PROPOSALS);
    return await load({
      url: server.url,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      tokens,
      proposals,
    });
  } finally {
    await server.close();
  }
}

async function bare(round: number, table: BareTable): Promise<HttpLoadResult> {
  const server = await bareServer(round, table);
  try {
    const tokens = Array.from({ length: CONNECTIONS }, (_, i) => ({ token: `bare-${i}`, entityId: `e${i % 9}` }));
    const proposals = Array.from({ length: PROPOSALS }, (_, i) => ({ id: `p${i}`, authorEntityId: `e${(i + 1) % 9}` }));
    return await load({
      url: server.url,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      tokens,
      proposals,
    });
  } finally {
    await server.close();
  }
}

async function measureBaselines(round: number): Promise<void> {
  const baseline = await bare(round, 'event-row');
  bareRuns.push(baseline);
  log(`http round ${round}: bare ${Math.round(baseline.requestsPerSecond)} req/s, p99 ${baseline.p99Ms} ms`);
  const minimal = await bare(round, 'minimal');
  minimalRuns.push(minimal);
  log(`http round ${round}: bare, minimal row ${Math.round(minimal.requestsPerSecond)} req/s, p99 ${minimal.p99Ms} ms`);
}

const oursRuns: HttpLoadResult[] = [];
const bareRuns: HttpLoadResult[] = [];
const minimalRuns: HttpLoadResult[] = [];
let failure: string | undefined;
for (let round = 1; round <= ROUNDS && !failure; round += 1) {
  // BENCH_HTTP_ONLY=ours skips the baselines (to profile the service alone).
  const baselines = process.env.BENCH_HTTP_ONLY !== 'ours';
  // Odd rounds measure the baselines first, even rounds ours first: a drift of the machine's speed
  // during a round falls on both sides alike.
  if (baselines && round % 2 === 1) await measureBaselines(round);
  try {
    const measured = await ours(round);
    oursRuns.push(measured);
    log(
      `http round ${round}: ours ${Math.round(measured.requestsPerSecond)} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, errors ${measured.errors + measured.non2xx}`,
    );
  } catch (error) {
    failure = describeError(error);
    log(`http: ours not measured: ${failure}`);
  }
  if (baselines && round % 2 === 0 && !failure) await measureBaselines(round);
}
removeDir(dir);

const summary = (runs: HttpLoadResult[]) => ({
  requestsPerSecond: Math.round(median(runs.map((run) => run.requestsPerSecond))),
  p50Ms: median(runs.map((run) => run.p50Ms)),
  p99Ms: median(runs.map((run) => run.p99Ms)),
  errors: runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0),
  requests: runs.reduce((sum, run) => sum + run.requests, 0),
  statusCodes: runs.map((run) => run.statusCodes),
});
const bareSummary = summary(bareRuns);
const minimalSummary = summary(minimalRuns);
const oursSummary = oursRuns.length > 0 ? summary(oursRuns) : undefined;
const vsMinimalRow =
  oursSummary && minimalSummary.requestsPerSecond > 0
    ? round(oursSummary.requestsPerSecond / minimalSummary.requestsPerSecond)
    : null;
const figure: Figure = {
  name: 'http-vs-bare',
  unit: 'req/s',
  value: oursSummary ? oursSummary.requestsPerSecond : null,
  baseline: {
    name: "bare Fastify route, one raw insert of the event's row per request (the log's table and unique keys), synchronous=NORMAL",
    value: bareSummary.requestsPerSecond,
  },
  higherIsBetter: true,
  bar: 0.6,
  details: {
    connections: CONNECTIONS,
    proposals: PROPOSALS,
    seconds: DURATION,
    rounds: ROUNDS,
    ours: oursSummary ?? null,
    bare: bareSummary,
    // An earlier baseline, for reference: a five-column row in a table with no index.
    bareMinimalRow: minimalSummary,
    vsMinimalRow,
  },
};
if (failure) figure.note = `not measured: ${failure}`;
else if (oursSummary && oursSummary.errors > 0)
  figure.note = `${oursSummary.errors} of ${oursSummary.requests} requests failed`;
writeResult(args.out, {
  figures: [figure],
  shared: {
    httpRequestsPerSecond: oursSummary ? oursSummary.requestsPerSecond : -1,
    p50: oursSummary?.p50Ms ?? -1,
    p99: round(oursSummary?.p99Ms ?? -1),
  },
});
