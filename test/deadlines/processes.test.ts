import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyEvents } from '../../src/audit/verify';
import { loadConfig } from '../../src/config';
import type { StoredEvent } from '../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../src/runtime';
import { createTestApp, testClock } from '../support/app';
import { runTs } from '../support/cli';
import { freePort, startServer, stopServer } from '../support/server';
import { expectViewsEqualRebuild } from '../support/views';
import { client } from '../proposals/support';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The test clock's day; deadlines set then have long passed by the real clock the processes run on. */
const SET_AT = '2026-03-02T09:00:00.000Z';
const CLOSES_AT = '2026-03-02T10:00:00.000Z';
const DUE_DATE = '2026-03-02';
const SILENT_UNTIL = '2026-03-02T10:30:00.000Z';

function databaseFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-deadlines-'));
  dirs.push(dir);
  return path.join(dir, 'd.sqlite');
}

/**
 * Proposals that close at CLOSES_AT, open action items due on DUE_DATE and editions whose declaration is under
 * silence until SILENT_UNTIL, recorded on the test clock.
 */
async function recordDeadlines(databaseUrl: string, count: number): Promise<void> {
  const t = await createTestApp({ databaseUrl, start: SET_AT, env: { RATE_LIMIT_MAX: '100000' } });
  const api = client(t);
  const europol = await t.token('delegate', 'europol');
  const secretariat = await t.token('secretariat');
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  const chair = await t.token('delegate', 'interpol');
  for (let n = 0; n < count; n += 1) {
    await api.submit(europol, 'strategic', { title: `Proposal ${n}`, closesAt: CLOSES_AT });
    const opened = await api.post(chair, '/groups/strategic/action-items', {
      title: `Item ${n}`,
      ownerEntityId: 'europol',
      dueDate: DUE_DATE,
    });
    expect(opened.statusCode).toBe(201);
    const edition = { number: n + 1, title: `Edition ${n}`, startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'v' };
    const id = (await api.post(secretariat, '/editions', edition)).json().id;
    await api.post(secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['d'] });
    const drafted = (await api.post(secretariat, `/editions/${id}/declaration`, {})).json();
    const text = { text: 'Agreed.', expectedVersion: drafted.version };
    expect((await api.post(secretariat, `/editions/${id}/declaration/paragraphs`, text)).statusCode).toBe(201);
    const silence = await api.post(secretariat, `/editions/${id}/declaration/silence`, { until: SILENT_UNTIL });
    expect(silence.statusCode).toBe(200);
  }
  await t.close();
}

async function reopen(databaseUrl: string, now?: string): Promise<Runtime> {
  return openRuntime(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), testClock(now).clock);
}

const fired = (runtime: Runtime): StoredEvent[] =>
  [...runtime.store.reader.iterate(0, runtime.store.reader.head().position)].filter(
    (event) => event.metadata.actor.person === 'scheduler',
  );

describe('deadlines across processes', () => {
  it('fires each deadline once when killed between the firing commit and its acknowledgement', async () => {
    const databaseUrl = databaseFile();
    await recordDeadlines(databaseUrl, 1);
    const killed = await runTs('test/deadlines/fireAndDie.ts', [], { DATABASE_URL: databaseUrl });
    expect(killed.stdout).not.toContain('nothing was fired');
    expect(killed.code).not.toBe(0);

    const runtime = await reopen(databaseUrl);
    expect(fired(runtime)).toHaveLength(1);
    await runtime.close();
    const again = await runTs('test/deadlines/fireAndDie.ts', [], { DATABASE_URL: databaseUrl });
    // Each restarted process fires the next deadline (and dies with it); those fired stay fired once.
    expect(again.code).not.toBe(0);
    expect((await runTs('test/deadlines/fireAndDie.ts', [], { DATABASE_URL: databaseUrl })).code).not.toBe(0);
    const last = await runTs('test/deadlines/fireAndDie.ts', [], { DATABASE_URL: databaseUrl });
    expect(last.stdout).toBe('nothing was fired\n');
    expect(last.code).toBe(0);
    const after = await reopen(databaseUrl);
    try {
      expect(
        fired(after)
          .map((event) => event.type)
          .sort(),
      ).toEqual(['ActionItemBecameOverdue', 'ConsultationClosed', 'SilenceProcedureEnded']);
      expect(verifyEvents(after.store.reader.iterate()).ok).toBe(true);
      expectViewsEqualRebuild(after);
    } finally {
      await after.close();
    }
  }, 60_000);

  it('has two server processes on one database fire every deadline of every kind exactly once', async () => {
    const databaseUrl = databaseFile();
    const count = 10;
    await recordDeadlines(databaseUrl, count);
    const ports = [await freePort(), await freePort()];
    const env = { SCHEDULER_INTERVAL_MS: '20' };
    const servers = await Promise.all(ports.map((port) => startServer(databaseUrl, port, env)));
    const runtime = await reopen(databaseUrl);
    try {
      while (fired(runtime).length < 3 * count) await new Promise((resolve) => setTimeout(resolve, 50));
      // Both processes keep polling: let each make many more passes over the same (now fired) deadlines.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const events = fired(runtime);
      expect(events).toHaveLength(3 * count);
      expect(new Set(events.map((event) => event.streamId)).size).toBe(3 * count);
      for (const event of events) expect(event.data).toMatchObject({ dueAt: expect.any(String) });
    } finally {
      await Promise.all(servers.map((server) => stopServer(server)));
      await runtime.close();
    }
    const after = await reopen(databaseUrl);
    try {
      expect(verifyEvents(after.store.reader.iterate()).ok).toBe(true);
      expectViewsEqualRebuild(after);
    } finally {
      await after.close();
    }
  }, 60_000);

  it('fires at the next start a deadline that passed while the server was stopped, stamped with both times', async () => {
    const databaseUrl = databaseFile();
    await recordDeadlines(databaseUrl, 1);
    const port = await freePort();
    // The restarted server's first pass, at start: nothing asks it to fire.
    const server = await startServer(databaseUrl, port);
    const runtime = await reopen(databaseUrl);
    try {
      while (fired(runtime).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
      const closed = fired(runtime).find((event) => event.type === 'ConsultationClosed');
      expect(closed?.data.dueAt).toBe(CLOSES_AT);
      expect(Date.parse(String(closed?.data.firedAt))).toBeLessThanOrEqual(Date.parse(String(closed?.recordedAt)));
      expect(Date.parse(String(closed?.data.firedAt))).toBeGreaterThan(Date.parse(CLOSES_AT));
      const overdue = fired(runtime).find((event) => event.type === 'ActionItemBecameOverdue');
      expect(overdue?.data.dueAt).toBe('2026-03-03T00:00:00.000Z');
      const ended = fired(runtime).find((event) => event.type === 'SilenceProcedureEnded');
      expect(ended?.data).toMatchObject({ outcome: 'adopted', dueAt: SILENT_UNTIL });
    } finally {
      await stopServer(server);
      await runtime.close();
    }
  }, 60_000);
});
