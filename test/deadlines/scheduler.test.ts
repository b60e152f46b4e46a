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
});
