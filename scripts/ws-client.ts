/**
 * A small live client: subscribes to topics and prints every message as one JSON line on stdout. When the
 * connection drops (server restart 1001, falling behind 1013, network loss) it reconnects and resumes each
 * topic with `since` = the last position it printed, so nothing is missed and nothing is printed twice.
 *
 *   DIALOGUE_TOKEN=dlg_... npx tsx scripts/ws-client.ts --topic group:strategic [--topic proposal:<id>] \
 *     [--since 0] [--url ws://127.0.0.1:3000/ws]
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:3000/ws' },
    token: { type: 'string' },
    topic: { type: 'string', multiple: true, default: [] },
    since: { type: 'string' },
  },
});

const token = values.token ?? process.env.DIALOGUE_TOKEN;
if (!token || values.topic.length === 0) {
  process.stderr.write(
    'usage: DIALOGUE_TOKEN=... tsx scripts/ws-client.ts --topic group:<id> [--topic ...] [--since N] [--url ws://...]\n',
  );
  process.exit(2);
}

/** Last position seen per topic: what a reconnect resumes from. */
const lastSeen = new Map<string, number | undefined>(
  values.topic.map((topic) => [topic, values.since === undefined ? undefined : Number(values.since)]),
);
/** Closes after which reconnecting cannot help. */
const FINAL = new Set([1008, 1009, 4403]);
let retryMs = 250;

function connect(): void {
  const socket = new WebSocket(values.url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  socket.on('open', () => {
    retryMs = 250;
    for (const [topic, since] of lastSeen)
      socket.send(JSON.stringify({ type: 'subscribe', topic, ...(since === undefined ? {} : { since }) }));
  });
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; topic?: string; position?: number };
    if (message.type === 'subscribed' && message.topic && lastSeen.get(message.topic) === undefined) {
      lastSeen.set(message.topic, message.position);
    }
    if (message.type === 'event' && message.topic && typeof message.position === 'number') {
      lastSeen.set(message.topic, message.position);
    }
    process.stdout.write(`${String(data)}\n`);
  });
  socket.on('unexpected-response', (_request, response) => {
    process.stderr.write(`upgrade refused: HTTP ${response.statusCode}\n`);
    process.exit(1);
  });
  socket.on('error', (error) => process.stderr.write(`socket error: ${error.message}\n`));
  socket.on('close', (code, reason) => {
    process.stderr.write(`closed ${code} ${reason.toString()}\n`);
    if (FINAL.has(code)) process.exit(1);
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  });
}

connect();
