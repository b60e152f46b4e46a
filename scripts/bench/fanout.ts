/**
 * Scenario 3, live fan-out, and the idle-socket memory figure. Our server runs in this process; the client
 * pool in another. Idle: 2,000 authenticated sockets, server RSS. Fan-out: 500 (and, in the full suite,
 * 2,000) clients subscribed to a group while comments are posted at a fixed rate; latency from sending the
 * command to receipt at each client, vs a bare `ws` server broadcasting the same payload (a text frame, as
 * ours are) on the same trigger.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import {
  benchArgs,
  describeError,
  log,
  removeDir,
  round,
  rssMb,
  scratchDir,
  sleep,
  writeResult,
  type Figure,
} from './lib';
import { startPool, type Pool } from './pool';
import { dbFile, delegateTokens, hasRoute, startServer, submitProposals } from './server';
import type { FanoutReport } from './ws-clients';

const args = benchArgs();
const SECONDS = args.quick ? 4 : 10;
const IDLE_CLIENTS = 2000;
const RUNS = args.quick
  ? [{ clients: 500, rate: 100 }]
  : [
      { clients: 500, rate: 100 },
      { clients: 2000, rate: 25 },
    ];
/**
 * Rounds of each measurement in the full run, the round with the lower p99 kept, on both sides alike: a
 * stall of this shared machine (seen once: a bare p99 of 4.7 s) then falls in one round, not in the figure.
 */
const ROUNDS = args.quick ? 1 : 2;

/** The round with the lower p99 of `ROUNDS` runs of `measure`. */
async function bestOf(label: string, measure: () => Promise<FanoutReport>): Promise<FanoutReport> {
  let best: FanoutReport | undefined;
  for (let attempt = 1; attempt <= ROUNDS; attempt += 1) {
    const report = await measure();
    if (ROUNDS > 1) log(`fan-out ${label} round ${attempt}: p99 ${round(report.p99Ms)} ms`);
    if (!best || report.p99Ms < best.p99Ms) best = report;
  }
  return best as FanoutReport;
}
const dir = scratchDir('fanout');
const COMMENT = JSON.stringify({
  body: 'We support the alert format; could the field list be reviewed after six months of use?',
});

interface Measured {
  idleRssMb?: number;
  baseRssMb?: number;
  /** Why fan-out could not be measured (idle sockets may still have been). */
  fanoutMissing?: string;
  fanout: Record<number, FanoutReport>;
}

async function ours(pool: Pool): Promise<Measured> {
  const server = await startServer(dbFile(dir, 'ours'));
  try {
    if (!hasRoute(server.app, 'GET', '/ws')) throw new Error('the service has no GET /ws yet');
    // 20 sockets per token at most by default: 100 tokens carry 2,000 sockets.
    const tokens = await delegateTokens(server.runtime, 100);
    const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    const measured: Measured = { fanout: {} };
    (globalThis as { gc?: () => void }).gc?.();
    measured.baseRssMb = rssMb();
    const idle = await pool.call<{ connected: number; failed: number }>({
      cmd: 'connect',
      wsUrl,
      tokens: tokens.map((t) => t.token),
      clients: IDLE_CLIENTS,
      topic: null,
    });
    if (idle.connected < IDLE_CLIENTS) throw new Error(`only ${idle.connected} of ${IDLE_CLIENTS} sockets connected`);
    await sleep(1000);
    (globalThis as { gc?: () => void }).gc?.();
    measured.idleRssMb = rssMb();
    log(
      `idle: ${idle.connected} sockets, server RSS ${Math.round(measured.idleRssMb)} MB (before: ${Math.round(measured.baseRssMb)} MB)`,
    );
    await pool.call({ cmd: 'disconnect' });
    for (const [method, url] of [
      ['POST', '/groups/:groupId/proposals'],
      ['POST', '/proposals/:id/comments'],
    ] as const) {
      if (!hasRoute(server.app, method, url)) {
        measured.fanoutMissing = `the service has no ${method} ${url} yet`;
        return measured;
      }
    }
    const proposals = await submitProposals(server.url, tokens, 200);
    const requests = proposals.map((proposal, i) => ({
      url: `${server.url}/proposals/${proposal.id}/comments`,
      token: tokens[(i + 1) % tokens.length]?.token ?? '',
      body: COMMENT,
    }));
    for (const run of RUNS) {
      await pool.call({
        cmd: 'connect',
        wsUrl,
        tokens: tokens.map((t) => t.token),
        clients: run.clients,
        topic: 'group:strategic',
      });
      measured.fanout[run.clients] = await bestOf(`ours ${run.clients} clients`, () =>
        pool.call<FanoutReport>({ cmd: 'fanout', rate: run.rate, seconds: SECONDS, requests }),
      );
      await pool.call({ cmd: 'disconnect' });
      const report = measured.fanout[run.clients];
      log(
        `fan-out ours ${run.clients} clients: p50 ${round(report?.p50Ms ?? -1)} ms, p99 ${round(report?.p99Ms ?? -1)} ms, ${report?.deliveries}/${report?.expected} deliveries`,
      );
    }
    return measured;
  } finally {
    await server.close();
  }
}

/** The baseline: a bare `ws` server that broadcasts the payload (encoded once) when poked over HTTP. */
async function bare(pool: Pool, payloadFor: (clients: number) => string): Promise<Record<number, FanoutReport>> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  let position = 0;
  let sample = '';
  const http = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      position += 1;
      const payload = Buffer.from(sample.replace(/"position":\d+/g, `"position":${position}`));
      // A text frame, as ours are: `send` makes a Buffer a binary frame, and the clients validate the UTF-8 of
      // text frames only, so a binary baseline would cost the client pool less per delivery than ours does.
      for (const client of wss.clients) client.send(payload, { binary: false });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ position }));
    });
  });
  http.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('message', () => ws.send(JSON.stringify({ type: 'subscribed', position })));
    }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const results: Record<number, FanoutReport> = {};
  try {
    for (const run of RUNS) {
      sample = payloadFor(run.clients);
      await pool.call({
        cmd: 'connect',
        wsUrl: `ws://127.0.0.1:${port}/`,
        tokens: ['bare'],
        clients: run.clients,
        topic: 'group:strategic',
      });
      const requests = [{ url: `http://127.0.0.1:${port}/broadcast`, token: 'bare', body: COMMENT }];
      results[run.clients] = await bestOf(`bare ${run.clients} clients`, () =>
        pool.call<FanoutReport>({ cmd: 'fanout', rate: run.rate, seconds: SECONDS, requests }),
      );
      await pool.call({ cmd: 'disconnect' });
      const report = results[run.clients];
      log(
        `fan-out bare ${run.clients} clients: p50 ${round(report?.p50Ms ?? -1)} ms, p99 ${round(report?.p99Ms ?? -1)} ms`,
      );
    }
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => http.close(resolve));
  }
  return results;
}

const pool = await startPool();
let measured: Measured | undefined;
let failure: string | undefined;
try {
  measured = await ours(pool);
} catch (error) {
  failure = describeError(error);
  log(`fan-out: ours not measured: ${failure}`);
}
/** A frame shaped like ours (event message, position first) and of the mean size our clients received. */
function barePayload(report: FanoutReport | undefined): string {
  const size = report?.meanBytes || 1500;
  const head = JSON.stringify({ type: 'event', topic: 'group:strategic', position: 0, event: {}, view: { pad: '' } });
  return head.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, size - head.length))}"`);
}
const baseline = await bare(pool, (clients) => barePayload(measured?.fanout[clients]));
await pool.exit();
removeDir(dir);

const fanoutDetails = (clients: number) => {
  const strip = (report: FanoutReport | undefined) =>
    report ? { ...report, p50Ms: round(report.p50Ms), p99Ms: round(report.p99Ms), sample: undefined } : null;
  return { ours: strip(measured?.fanout[clients]), bare: strip(baseline[clients]) };
};
const ours500 = measured?.fanout[500];
const fanoutFigure: Figure = {
  name: 'fanout-p99-500',
  unit: 'ms',
  value: ours500 ? round(ours500.p99Ms) : null,
  baseline: {
    name: 'bare ws broadcast of a same-size payload, same trigger, 500 clients',
    value: baseline[500] ? round(baseline[500].p99Ms) : null,
  },
  higherIsBetter: false,
  bar: 0.67,
  details: {
    ratePerSecond: 100,
    seconds: SECONDS,
    latencyFrom: 'command sent',
    clients500: fanoutDetails(500),
    ...(RUNS.length > 1 ? { clients2000: fanoutDetails(2000) } : {}),
  },
};
const idleFigure: Figure = {
  name: 'idle-sockets-rss-2000',
  unit: 'MB',
  value: measured?.idleRssMb !== undefined ? round(measured.idleRssMb, 1) : null,
  baseline: { name: 'budget: 400 MB', value: 400 },
  higherIsBetter: false,
  bar: 1,
  details: {
    sockets: IDLE_CLIENTS,
    serverRssBeforeMb: measured?.baseRssMb !== undefined ? round(measured.baseRssMb, 1) : null,
  },
};
if (failure) {
  fanoutFigure.note = `not measured: ${failure}`;
  idleFigure.note = `not measured: ${failure}`;
} else if (measured?.fanoutMissing) {
  fanoutFigure.note = `not measured: ${measured.fanoutMissing}`;
} else if (ours500 && ours500.deliveries < ours500.expected) {
  fanoutFigure.note = `${ours500.expected - ours500.deliveries} of ${ours500.expected} deliveries missing`;
}
writeResult(args.out, { figures: [fanoutFigure, idleFigure] });
