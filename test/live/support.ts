import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { AppendRequest } from '../../src/eventStore/types';
import { createTestApp, type TestContext } from '../support/app';

/** A message the server sent, parsed. */
export interface Received {
  type: string;
  topic?: string;
  position?: number;
  code?: string;
  entities?: string[];
  event?: { position: number; type: string; data: Record<string, unknown> };
  view?: unknown;
}

/** A real `ws` client that records every message and lets a test wait for the one it expects. */
export class Client {
  readonly messages: Received[] = [];
  /** Every frame as it arrived, unparsed. */
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data);
      this.frames.push(text);
      this.messages.push(JSON.parse(text) as Received);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for the first message (from `from` on) that matches, and returns it. */
  async next(match: (message: Received) => boolean, from = 0): Promise<Received> {
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`socket closed before the expected message`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Events received on a topic, in arrival order. */
  events(topic: string): Received[] {
    return this.messages.filter((message) => message.type === 'event' && message.topic === topic);
  }

  async subscribe(topic: string, since?: number): Promise<Received> {
    const from = this.messages.length;
    this.send(since === undefined ? { type: 'subscribe', topic } : { type: 'subscribe', topic, since });
    return this.next((m) => m.topic === topic && (m.type === 'subscribed' || m.type === 'error'), from);
  }

  /** Waits until an event at `position` (or later) has arrived on `topic`. */
  async reach(topic: string, position: number): Promise<void> {
    await this.next((m) => m.type === 'event' && m.topic === topic && (m.position ?? 0) >= position);
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

export interface LiveContext extends TestContext {
  url: string;
  connect(token: string | undefined, options?: { query?: boolean; origin?: string }): Promise<Client>;
  /** Outcome of an upgrade that is expected to fail: the HTTP status. */
  refused(token: string | undefined, options?: { origin?: string }): Promise<number>;
}

/** A test app listening on a free port. */
export async function createLiveApp(env: Record<string, string> = {}, databaseUrl?: string): Promise<LiveContext> {
  const context = await createTestApp({ env, ...(databaseUrl ? { databaseUrl } : {}) });
  await context.app.listen({ host: '127.0.0.1', port: 0 });
  const address = context.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `ws://127.0.0.1:${port}/ws`;
  const open = (token: string | undefined, options: { query?: boolean; origin?: string } = {}) => {
    const target = options.query && token ? `${url}?token=${encodeURIComponent(token)}` : url;
    const headers = token && !options.query ? { authorization: `Bearer ${token}` } : undefined;
    return new WebSocket(target, {
      headers,
      perMessageDeflate: false,
      ...(options.origin ? { origin: options.origin } : {}),
    });
  };
  return {
    ...context,
    url,
    connect: (token, options) =>
      new Promise((resolve, reject) => {
        const socket = open(token, options);
        const client = new Client(socket);
        socket.once('open', () => resolve(client));
        socket.once('error', reject);
      }),
    refused: (token, options) =>
      new Promise((resolve, reject) => {
        const socket = open(token, options);
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('open', () => reject(new Error('the upgrade was accepted')));
        socket.on('error', () => undefined);
      }),
  };
}

/**
 * A live app on a database file in a folder of its own (catch-up then reads pages on the hub's reader
 * thread), or in memory; closing it removes the folder.
 */
export async function createLiveAppOn(
  where: 'file' | 'memory',
  env: Record<string, string> = {},
): Promise<LiveContext> {
  if (where === 'memory') return createLiveApp(env);
  const dir = mkdtempSync(join(tmpdir(), 'live-'));
  const context = await createLiveApp(env, join(dir, 'dialogue.sqlite'));
  return {
    ...context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const metadata = {
  actor: { entityId: null, person: 'test writer', role: 'secretariat' as const },
  requestId: 'live-test',
};

/** A cheap event of a group's content, appended straight to the log (no slice involved). */
export function note(groupId: string, visibility: 'dialogue' | 'members' = 'dialogue', text = 'note'): AppendRequest {
  return {
    streamId: `note-${groupId}`,
    expectedVersion: 'any',
    events: [{ type: 'NoteTaken', data: { groupId, visibility, text } }],
    metadata,
  };
}
