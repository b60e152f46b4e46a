import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { client, problem } from '../proposals/support';

describe("the app's scheduler", () => {
  it('fires by itself once the clock passes a deadline, not a millisecond before', async () => {
    const t = await createTestApp({ env: { SCHEDULER_INTERVAL_MS: '5' } });
    const api = client(t);
    const [europol, afripol] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'afripol')]);
    const closesAt = '2026-03-02T10:00:00.000Z';
    const id = await api.submit(europol, 'strategic', { closesAt });
    const stream = `proposal-${id}`;
    t.time.set('2026-03-02T09:59:59.999Z');
    // A pass at this time fires nothing: the deadline is one millisecond ahead.
    expect(await t.app.scheduler.runDue()).toEqual([]);
    t.time.set('2026-03-02T10:00:00.500Z');
    // Nobody asks: the app's own passes find it.
    while (t.runtime.store.version(stream) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const [, closed] = t.runtime.store.reader.readStream(stream);
    expect(closed).toMatchObject({
      type: 'ConsultationClosed',
      data: { dueAt: closesAt, firedAt: '2026-03-02T10:00:00.500Z' },
      metadata: { actor: { entityId: null, person: 'scheduler', role: 'secretariat' } },
    });
    const refused = await api.post(afripol, `/proposals/${id}/endorsements`, {});
    expect(refused.statusCode).toBe(409);
    expect(problem(refused).detail).toContain(closesAt);
    await t.close();
  });

  it('fires at the next start, on a moved clock, a deadline that passed while the app was stopped', async () => {
    const databaseUrl = path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-restart-')), 'd.sqlite');
    const first = await createTestApp({ databaseUrl, start: '2026-03-02T09:00:00.000Z' });
    const europol = await first.token('delegate', 'europol');
    const closesAt = '2026-03-02T10:00:00.000Z';
    const id = await client(first).submit(europol, 'strategic', { closesAt });
    await first.close();

    // Stopped from 09:00 to 13:00: the deadline passed meanwhile. The restarted app's own first pass fires it.
    const restarted = await createTestApp({
      databaseUrl,
      start: '2026-03-02T13:00:00.000Z',
      env: { SCHEDULER_INTERVAL_MS: '5' },
    });
    const stream = `proposal-${id}`;
    while (restarted.runtime.store.version(stream) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const [, closed] = restarted.runtime.store.reader.readStream(stream);
    expect(closed).toMatchObject({
      type: 'ConsultationClosed',
      data: { dueAt: closesAt, firedAt: '2026-03-02T13:00:00.000Z' },
      recordedAt: '2026-03-02T13:00:00.000Z',
    });
    expect(await restarted.app.scheduler.runDue()).toEqual([]);
    expect(restarted.runtime.store.version(stream)).toBe(2);
    await restarted.close();
  });
});
