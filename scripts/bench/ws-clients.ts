/**
 * The websocket client pool (its own process, driven by the scenario over IPC): opens N authenticated
 * sockets, subscribes them, paces commands over HTTP and records when each client receives each event.
 * Messages are not parsed: the position is read straight from the frame's bytes, so that the pool's own
 * cost per delivery stays small and the same for our server and the bare baseline.
 */
import WebSocket from 'ws';
import { percentile, sleep } from './lib';

export type PoolCommand =
  | { cmd: 'connect'; wsUrl: string; tokens: string[]; clients: number; topic: string | null }
  | { cmd: 'fanout'; rate: number; seconds: number; requests: { url: string; token: string; body: string }[] }
  | { cmd: 'catchup'; wsUrl: string; token: string; topic: string; head: number }
  | { cmd: 'disconnect' }
  | { cmd: 'exit' };

export interface FanoutReport {
  commands: number;
  failedCommands: number;
  deliveries: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean size of the event frames received, so that the baseline can broadcast frames of that size. */
  meanBytes: number;
  sample: string;
}

const POSITION = Buffer.from('"position":');
const EVENT = Buffer.from('"type":"event"');

/** The first `"position":<n>` of a frame (top level and event.position are equal), or -1. */
function positionOf(frame: Buffer): number {
  if (frame.indexOf(EVENT) < 0) return -1;
  let at = frame.indexOf(POSITION);
  if (at < 0) return -1;
  at += POSITION.length;
  let value = 0;
  for (; at < frame.length; at += 1) {
    const digit = (frame[at] ?? 0) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

let sockets: WebSocket[] = [];
let receiptPositions: number[] = [];
let receiptTimes: number[] = [];
let sample = '';
let frameBytes = 0;
let frames = 0;

function frameOf(data: WebSocket.RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

async function connect(command: Extract<PoolCommand, { cmd: 'connect' }>) {
  let failed = 0;
  const opened: WebSocket[] = [];
  const batch = 100;
  for (let start = 0; start < command.clients; start += batch) {
    const wave = Array.from({ length: Math.min(batch, command.clients - start) }, (_, offset) => {
      const index = start + offset;
      const token = command.tokens[index % command.tokens.length] ?? '';
      return new Promise<void>((resolve) => {
        const socket = new WebSocket(command.wsUrl, {
          headers: { authorization: `Bearer ${token}` },
          perMessageDeflate: false,
        });
        socket.on('error', () => {
          failed += 1;
          resolve();
        });
        socket.on('open', () => {
          opened.push(socket);
          if (!command.topic) return resolve();
          socket.on('message', function first(data) {
            const text = frameOf(data).toString();
            if (text.includes('"subscribed"')) {
              socket.off('message', first);
              resolve();
            }
          });
          socket.send(JSON.stringify({ type: 'subscribe', topic: command.topic }));
        });
      });
    });
    await Promise.all(wave);
  }
  for (const socket of opened) {
    socket.on('message', (data) => {
      const time = performance.now();
      const frame = frameOf(data);
      const position = positionOf(frame);
      if (position < 0) return;
      receiptPositions.push(position);
      receiptTimes.push(time);
      frameBytes += frame.length;
      frames += 1;
      if (sample === '') sample = frame.toString();
    });
  }
  sockets = opened;
  return { connected: opened.length, failed };
}

async function fanout(command: Extract<PoolCommand, { cmd: 'fanout' }>): Promise<FanoutReport> {
  receiptPositions = [];
  receiptTimes = [];
  frameBytes = 0;
  frames = 0;
  const sentAt = new Map<number, number>();
  // The first second warms up (JIT, the HTTP agent's connections) and is not measured.
  const warmup = Math.round(command.rate);
  const total = warmup + Math.round(command.rate * command.seconds);
  const interval = 1000 / command.rate;
  const started = performance.now();
  let failedCommands = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const request = command.requests[i % command.requests.length];
    if (!request) break;
    const sent = performance.now();
    inFlight.push(
      fetch(request.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' },
        body: request.body,
      })
        .then(async (response) => {
          const body = (await response.json()) as { position?: number };
          if (response.status >= 300 || typeof body.position !== 'number') failedCommands += 1;
          else if (i >= warmup) sentAt.set(body.position, sent);
        })
        .catch(() => {
          failedCommands += 1;
        }),
    );
  }
  await Promise.all(inFlight);
  await sleep(1500);
  const latencies: number[] = [];
  for (let i = 0; i < receiptPositions.length; i += 1) {
    const sent = sentAt.get(receiptPositions[i] ?? -1);
    if (sent !== undefined) latencies.push((receiptTimes[i] ?? sent) - sent);
  }
  return {
    commands: total - warmup,
    failedCommands,
    deliveries: latencies.length,
    expected: sentAt.size * sockets.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanBytes: frames > 0 ? Math.round(frameBytes / frames) : 0,
    sample,
  };
}

/** Time from sending `subscribe` with since=0 to receiving the event at the head: the client is live. */
async function catchup(command: Extract<PoolCommand, { cmd: 'catchup' }>) {
  const socket = new WebSocket(command.wsUrl, {
    headers: { authorization: `Bearer ${command.token}` },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let events = 0;
  const started = performance.now();
  const elapsedMs = await new Promise<number>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`socket closed with ${code} after ${events} events`)));
    socket.on('message', (data) => {
      const position = positionOf(frameOf(data));
      if (position < 0) return;
      events += 1;
      if (position >= command.head) resolve(performance.now() - started);
    });
    socket.send(JSON.stringify({ type: 'subscribe', topic: command.topic, since: 0 }));
  });
  socket.removeAllListeners('close');
  socket.close();
  return { elapsedMs, events };
}

function disconnect() {
  for (const socket of sockets) socket.terminate();
  sockets = [];
  sample = '';
  return { disconnected: true };
}

process.on('message', (message: PoolCommand) => {
  const run = async () => {
    switch (message.cmd) {
      case 'connect':
        return connect(message);
      case 'fanout':
        return fanout(message);
      case 'catchup':
        return catchup(message);
      case 'disconnect':
        return disconnect();
      case 'exit':
        disconnect();
        process.exit(0);
    }
  };
  run().then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ ok: true, result: 'ready' });
