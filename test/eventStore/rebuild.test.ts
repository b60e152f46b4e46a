import { describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/eventStore/projections';
import { createTestApp } from '../support/app';
import { viewSnapshot } from '../support/views';

describe('rebuild', () => {
  it('gives views identical to the inline ones, with progress reported', async () => {
    const t = await createTestApp();
    const sec = await t.token('secretariat');
    await t.token('delegate', 'europol');
    const headers = { ...t.auth(sec), 'content-type': 'application/json' };
    await t.app.inject({ method: 'POST', url: '/groups/strategic/chairs', headers, payload: { entityId: 'europol' } });
    await t.app.inject({ method: 'DELETE', url: '/groups/operational/participants/sco', headers });
    const before = viewSnapshot(t.runtime);
    const progress: number[] = [];
    const result = rebuildProjections(t.runtime.db.sqlite, t.runtime.projections, (p) => progress.push(p.position));
    expect(result.events).toBe(t.runtime.store.reader.head().position);
    expect(progress.at(-1)).toBe(result.events);
    expect(viewSnapshot(t.runtime)).toEqual(before);
    await t.close();
  });
});
