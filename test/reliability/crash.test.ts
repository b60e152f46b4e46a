import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyEvents } from '../../src/audit/verify';
import { loadConfig } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { createTestApp, testClock } from '../support/app';
import { client } from '../proposals/support';
import { expectViewsEqualRebuild } from '../support/views';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEEDS = process.env.STRESS === '1' ? 10 : 2;
const CLIENTS = 6;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A small seeded generator, so that a failing kill moment can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  // node itself with tsx as a loader (not the tsx wrapper): SIGKILL must hit the process that writes.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

type Outcome = 'ok' | 'failed' | 'unknown';

describe('crash under load', () => {
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    it(`loses no acknowledged command and half-writes nothing when killed at a random moment (seed ${seed})`, async () => {
      const next = random(seed * 7919);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-crash-'));
      dirs.push(dir);
      const databaseUrl = path.join(dir, 'd.sqlite');
      const setup = await createTestApp({ databaseUrl });
      const api = client(setup);
      const tokens = await Promise.all(['afripol', 'ameripol', 'aseanapol', 'europol', 'unodc', 'frontex'].map((e) => setup.token('delegate', e)));
      const proposals = [await api.submit(tokens[0] as string, 'strategic'), await api.submit(tokens[1] as string, 'operational')];
      await setup.close();

      const port = await freePort();
      const server = await startServer(databaseUrl, port);
      const sent = new Map<string, Outcome>();
      let stop = false;
      const loops = Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; !stop; n += 1) {
          const body = `client ${c} command ${n}`;
          sent.set(body, 'unknown');
          try {
            const res = await fetch(`http://127.0.0.1:${port}/proposals/${proposals[n % 2]}/comments`, {
              method: 'POST',
              headers: { authorization: `Bearer ${tokens[c]}`, 'content-type': 'application/json' },
              body: JSON.stringify({ body }),
            });
            await res.text();
            sent.set(body, res.status === 201 ? 'ok' : 'failed');
          } catch {
            return; // the connection died with the server: this command stays unknown
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(next() * 900)));
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      stop = true;
      await Promise.all(loops);

      // Restart: the runtime re-checks the chain's tail and the migrations, as the server does.
      const runtime = await openRuntime(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), testClock().clock);
      try {
        const sqlite = runtime.db.sqlite;
        expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        const { n, max } = sqlite.prepare<[], { n: number; max: number }>('SELECT COUNT(*) AS n, MAX(position) AS max FROM events').get() ?? { n: 0, max: 0 };
        expect(n).toBe(max);
        expect(verifyEvents(runtime.store.reader.iterate()).ok).toBe(true);
        const recorded = new Map<string, number>();
        for (const event of runtime.store.reader.iterate()) {
          if (event.type === 'CommentPosted') recorded.set(String(event.data.body), (recorded.get(String(event.data.body)) ?? 0) + 1);
        }
        const counts = { ok: 0, failed: 0, unknown: 0, unknownRecorded: 0 };
        for (const [body, outcome] of sent) {
          counts[outcome] += 1;
          const times = recorded.get(body) ?? 0;
          if (outcome === 'ok') expect(times, body).toBe(1);
          if (outcome === 'failed') expect(times, body).toBe(0);
          if (outcome === 'unknown') {
            expect(times, body).toBeLessThanOrEqual(1);
            counts.unknownRecorded += times;
          }
        }
        expect(counts.ok).toBeGreaterThan(0);
        expect([...recorded.keys()].every((body) => sent.has(body))).toBe(true);
        expectViewsEqualRebuild(runtime);
        process.stdout.write(`crash seed ${seed}: ${counts.ok} acknowledged, ${counts.failed} refused, ${counts.unknown} in flight at the kill (${counts.unknownRecorded} of them committed)\n`);
      } finally {
        await runtime.close();
      }
    }, 60_000);
  }
});
