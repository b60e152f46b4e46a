import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { loadConfig, systemClock } from '../src/config';
import { SYSTEM_ACTOR } from '../src/dialogue/reference';
import { openRuntime } from '../src/runtime';
import { issueToken } from '../src/tokens/tokens';
import { fail } from './cli';

const USAGE = `usage: npm run --silent probe -- <ws-flood|item-catchup|hidden-404> [--events N]
Runs one of the security probes against a real server (a child process on a fresh database, default
settings) and prints what it measured as JSON:
  ws-flood      one observer socket sends 2,000 subscribe {group:strategic, since: 0} / unsubscribe pairs;
                GET /health is timed every 10 ms meanwhile and for 10 s after
  item-catchup  20 sockets of one observer token subscribe to 15 proposal:<id> topics each with since 0
  hidden-404    an observer's 404 for a members-only proposal with 100 comments against an unknown id
                (medians of 200 requests each)`;

const MEMBERS = ['afripol', 'ameripol', 'aseanapol', 'aimc', 'eco', 'europol', 'frontex', 'gccpol', 'interpol'];

interface Server {
  url: string;
  child: ChildProcess;
}

/** Issues tokens on the database before the server opens it (the token CLI's own path). */
async function tokens(databaseUrl: string): Promise<{ members: string[]; observer: string }> {
  const runtime = await openRuntime(loadConfig({ DATABASE_URL: databaseUrl }), systemClock);
  try {
    const issue = async (role: 'delegate', entityId: string) =>
      (
        await issueToken(
          runtime.store,
          runtime.directory,
          { role, entityId, person: `probe ${entityId}` },
          { ...SYSTEM_ACTOR },
          'probe',
        )
      ).token;
    const members: string[] = [];
    for (const entity of MEMBERS) members.push(await issue('delegate', entity));
    return { members, observer: await issue('delegate', 'sco') };
  } finally {
    await runtime.close();
  }
}

async function startServer(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<Server> {
  const tsx = path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(import.meta.dirname, '..', 'src', 'server.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error('the server did not start');
}

async function post(url: string, token: string, body: unknown): Promise<{ id?: string; position: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id?: string; position: number };
}

/** About `events` events in the strategic group: proposals with comments, from every member in turn. */
async function seed(
  server: Server,
  members: string[],
  events: number,
  visibility: 'dialogue' | 'members' = 'dialogue',
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < events; n += 1) {
    const token = members[n % members.length] as string;
    if (n % 10 === 0 || ids.length === 0) {
      const created = await post(`${server.url}/groups/strategic/proposals`, token, {
        title: `Probe proposal ${n}`,
        body: 'Shared alert format.',
        visibility,
      });
      ids.push(created.id as string);
    } else {
      await post(`${server.url}/proposals/${ids.at(-1)}/comments`, token, { body: `Comment ${n}` });
    }
  }
  return ids;
}

/** Times GET /health every `everyMs` until stopped; returns the latencies in ms. */
function healthWatch(url: string, everyMs = 10): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${url}/health`).then((response) => response.arrayBuffer());
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

function open(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0) * 100) / 100;
  return { samples: sorted.length, median: at(0.5), p99: at(0.99), max: at(1) };
};

/** Reports what a socket received: its close code and how many frames of each type and error code. */
function recorder(socket: WebSocket) {
  const counts: Record<string, number> = {};
  let close: number | null = null;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; code?: string };
    const key = message.type === 'error' ? `error:${message.code}` : message.type;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  socket.on('close', (code) => (close = code));
  return () => ({ close, counts });
}

async function wsFlood(server: Server, observer: string) {
  const socket = await open(server.url, observer);
  const received = recorder(socket);
  const watch = healthWatch(server.url);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = performance.now();
  for (let n = 0; n < 2000; n += 1) {
    socket.send(JSON.stringify({ type: 'subscribe', topic: 'group:strategic', since: 0 }));
    socket.send(JSON.stringify({ type: 'unsubscribe', topic: 'group:strategic' }));
  }
  const sentMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  socket.terminate();
  return { sentMs: Math.round(sentMs), health: summary(await watch.stop()), socket: received() };
}

async function itemCatchUp(server: Server, observer: string, proposals: string[]) {
  const topics = proposals.slice(0, 15).map((id) => `proposal:${id}`);
  const sockets = await Promise.all(Array.from({ length: 20 }, () => open(server.url, observer)));
  const received = sockets.map(recorder);
  const watch = healthWatch(server.url);
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const socket of sockets)
    for (const topic of topics) socket.send(JSON.stringify({ type: 'subscribe', topic, since: 0 }));
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  for (const socket of sockets) socket.terminate();
  const events = received.reduce((sum, get) => sum + (get().counts.event ?? 0), 0);
  return { health: summary(await watch.stop()), eventsReceived: events };
}

async function hidden404(server: Server, members: string[], observer: string) {
  const secret = (
    await post(`${server.url}/groups/strategic/proposals`, members[0] as string, {
      title: 'Members only',
      body: 'Hidden.',
      visibility: 'members',
    })
  ).id as string;
  for (let n = 0; n < 100; n += 1)
    await post(`${server.url}/proposals/${secret}/comments`, members[n % members.length] as string, {
      body: `Comment ${n}`,
    });
  const time = async (url: string) => {
    const latencies: number[] = [];
    for (let n = 0; n < 200; n += 1) {
      const started = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${observer}` } });
      await response.arrayBuffer();
      if (response.status !== 404) throw new Error(`${url}: expected 404, got ${response.status}`);
      latencies.push(performance.now() - started);
    }
    return summary(latencies);
  };
  const result: Record<string, unknown> = {};
  // Alternating rounds, so that a slower moment of the machine does not fall on one side only.
  for (let round = 0; round < 2; round += 1) {
    result[`hidden-${round}`] = await time(`${server.url}/proposals/${secret}`);
    result[`unknown-${round}`] = await time(`${server.url}/proposals/no-such-proposal`);
    result[`hiddenHistory-${round}`] = await time(`${server.url}/proposals/${secret}/history`);
    result[`unknownHistory-${round}`] = await time(`${server.url}/proposals/no-such-proposal/history`);
  }
  return result;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { events: { type: 'string' }, port: { type: 'string' } },
  });
  const probe = positionals[0];
  if (!probe || !['ws-flood', 'item-catchup', 'hidden-404'].includes(probe)) fail(USAGE);
  const events = Number(values.events ?? 2000);
  if (!Number.isInteger(events) || events < 1) fail('--events takes a positive whole number');
  const dir = mkdtempSync(path.join(tmpdir(), 'dialogue-probe-'));
  const databaseUrl = path.join(dir, 'dialogue.sqlite');
  const { members, observer } = await tokens(databaseUrl);
  // The timing probe sends more requests than one token may in a minute: the limiter is not what it measures.
  const env: Record<string, string> = probe === 'hidden-404' ? { RATE_LIMIT_MAX: '1000000' } : {};
  const server = await startServer(databaseUrl, Number(values.port ?? 3900 + (process.pid % 90)), env);
  try {
    process.stderr.write(`probe: seeding ${events} events\n`);
    const proposals = await seed(server, members, events);
    process.stderr.write(`probe: running ${probe}\n`);
    const result =
      probe === 'ws-flood'
        ? await wsFlood(server, observer)
        : probe === 'item-catchup'
          ? await itemCatchUp(server, observer, proposals)
          : await hidden404(server, members, observer);
    process.stdout.write(`${JSON.stringify({ probe, events, ...result }, null, 2)}\n`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => fail(`probe: ${error instanceof Error ? error.message : String(error)}`, 1));
