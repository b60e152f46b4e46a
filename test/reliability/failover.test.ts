import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRows } from '../../src/audit/verify';
import { Client } from '../live/support';
import { createTestApp } from '../support/app';
import { freshPostgresUrl } from '../support/postgres';
import { freePort, startServer, stopServer } from '../support/server';
import { expectViewsEqualRebuild } from '../support/views';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const WRITERS = 4;

function connect(port: number, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    const client = new Client(socket);
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

type Outcome = 'acknowledged' | 'refused' | 'unknown';

describe('failover between two instances on one PostgreSQL log', () => {
  it('loses no acknowledged write, repeats none, and lets live clients resume on the survivor with since', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-failover-'));
    dirs.push(dir);
    const url = await freshPostgresUrl();
    const setup = await createTestApp({ databaseUrl: url });
    const tokens = await Promise.all(
      ['afripol', 'ameripol', 'aseanapol', 'europol'].map((entity) => setup.token('delegate', entity)),
    );
    const auditor = await setup.token('auditor');
    const env = { SIGNING_KEY_FILE: path.join(dir, 'signing-key.pem') };
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await startServer(url, portA, env);
    const b = await startServer(url, portB, env);
    try {
      // A live client on A, following the whole log.
      let live = await connect(portA, auditor);
      const start = (await live.subscribe('log')).position ?? 0;
      const received: number[] = [];
      const record = (client: Client) =>
        client.socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; position?: number };
          if (message.type === 'event' && message.position !== undefined) received.push(message.position);
        });
      record(live);

      // Writers: each sends to A until A is gone, then to B, retrying an unanswered write with its key.
      const sent = new Map<string, Outcome>();
      let stop = false;
      let aAlive = true;
      const loops = Array.from({ length: WRITERS }, async (_, w) => {
        for (let n = 0; !stop; n += 1) {
          const key = `writer-${w}-${n}`;
          sent.set(key, 'unknown');
          for (let attempt = 0; attempt < 20 && sent.get(key) === 'unknown'; attempt += 1) {
            // Half the writers start on A; a write A did not answer is retried on B, as a load balancer would.
            const port = attempt === 0 && aAlive && w % 2 === 0 ? portA : portB;
            try {
              const response = await fetch(`http://127.0.0.1:${port}/groups/strategic/proposals`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${tokens[w]}`,
                  'content-type': 'application/json',
                  'idempotency-key': key,
                },
                body: JSON.stringify({ title: key, body: 'Failover.' }),
              });
              await response.text();
              if (response.status === 201) sent.set(key, 'acknowledged');
              else if (response.status < 500) sent.set(key, 'refused');
            } catch {
              // The connection died with A: the same key goes to B.
            }
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 800));
      await stopServer(a, 'SIGKILL');
      aAlive = false;
      await new Promise((resolve) => setTimeout(resolve, 800));
      stop = true;
      await Promise.all(loops);

      // The live client reconnects to B and resumes from the last position it received.
      await live.closed;
      const since = received.at(-1) ?? start;
      live = await connect(portB, auditor);
      record(live);
      await live.subscribe('log', since);
      await setup.runtime.store.catchUp();
      const head = setup.runtime.store.reader.head().position;
      await live.reach('log', head);
      expect(received).toEqual(Array.from({ length: head - start }, (_, i) => start + 1 + i));
      live.close();

      const titles = new Map<string, number>();
      for (const event of setup.runtime.store.reader.iterate())
        if (event.type === 'ProposalSubmitted') {
          const title = String(event.data.title);
          titles.set(title, (titles.get(title) ?? 0) + 1);
        }
      const outcomes = [...sent.values()];
      expect(outcomes.filter((outcome) => outcome === 'acknowledged').length).toBeGreaterThan(0);
      for (const [key, outcome] of sent) {
        if (outcome === 'acknowledged') expect(titles.get(key), key).toBe(1);
        if (outcome === 'refused') expect(titles.get(key) ?? 0, key).toBe(0);
        if (outcome === 'unknown') expect(titles.get(key) ?? 0, key).toBeLessThanOrEqual(1);
      }
      expect(outcomes).not.toContain('refused');
      const count = (wanted: Outcome) => outcomes.filter((outcome) => outcome === wanted).length;
      process.stdout.write(
        `failover: ${count('acknowledged')} acknowledged, ${count('unknown')} never answered; ${head - start} events delivered live across the failover\n`,
      );
      expect(verifyRows(setup.runtime.store.reader.iterateRows()).ok).toBe(true);
      expectViewsEqualRebuild(setup.runtime);
    } finally {
      await stopServer(a, 'SIGKILL');
      await stopServer(b);
      await setup.close();
    }
  }, 90_000);
});
