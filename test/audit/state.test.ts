import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { client } from '../proposals/support';

// With a database file the replay reads the live log through an attachment; in memory it copies it.
const databases: Array<[string, () => string | undefined]> = [
  ['in memory', () => undefined],
  ['in a file', () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-audit-')), 'd.sqlite')],
];

describe.each(databases)('GET /audit/state, database %s', (_, databaseUrl) => {
  it('equals the views captured live at three moments of a scripted scenario, by position and by time', async () => {
    const t = await createTestApp({ start: '2026-03-02T09:00:00.000Z', databaseUrl: databaseUrl() });
    const api = client(t);
    const [auditor, secretariat, europol, afripol, aimc, interpol] = await Promise.all([
      t.token('auditor'),
      t.token('secretariat'),
      t.token('delegate', 'europol'),
      t.token('delegate', 'afripol'),
      t.token('delegate', 'aimc'),
      t.token('delegate', 'interpol'),
    ]);
    await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
    const live = async () => {
      const page = (await api.get(auditor, '/groups/strategic/proposals?limit=200')).json();
      const proposals = [];
      for (const item of [...page.items].reverse())
        proposals.push((await api.get(auditor, `/proposals/${item.id}`)).json());
      const actionItems = (await api.get(auditor, '/groups/strategic/action-items?limit=200')).json().items;
      return { position: t.runtime.store.reader.head().position, proposals, actionItems };
    };
    const moments: Array<{ at: string; time: string; state: Awaited<ReturnType<typeof live>> }> = [];
    const capture = async () => {
      moments.push({
        at: String(t.runtime.store.reader.head().position),
        time: t.runtime.clock().toISOString(),
        state: await live(),
      });
      t.time.advance(60 * 60 * 1000);
    };

    // Comments on both sides of other events: the replayed views read them, and the head of each
    // proposal's stream, through the log, as the live ones do.
    const comment = async (token: string, proposal: string, body: string) =>
      expect((await api.post(token, `/proposals/${proposal}/comments`, { body })).statusCode).toBe(201);
    const p = await api.submit(europol, 'strategic', { title: 'Joint threat assessment' });
    await api.post(afripol, `/proposals/${p}/endorsements`);
    await comment(afripol, p, 'We can host the first meeting.');
    await capture();
    await api.post(aimc, `/proposals/${p}/objections`, { reason: 'Legal basis' });
    await comment(aimc, p, 'The legal basis needs a citation.');
    expect(
      (await api.post(europol, `/proposals/${p}/revisions`, { body: 'Clarified legal basis.', expectedVersion: 5 }))
        .statusCode,
    ).toBe(200);
    await api.post(interpol, `/proposals/${p}/decision`, {
      outcome: 'adopted',
      note: 'Over one objection',
      override: true,
    });
    await capture();
    await api.post(interpol, '/groups/strategic/action-items', {
      title: 'Draft MoU',
      ownerEntityId: 'afripol',
      dueDate: '2026-03-03',
      proposalId: p,
    });
    const second = await api.submit(afripol, 'strategic', { title: 'Second plan' });
    await comment(europol, second, 'Agreed in principle.');
    await comment(aimc, second, 'With a review after a year.');
    await capture();
    expect(moments.map((moment) => moment.state.proposals.map((view) => view.comments.length))).toEqual([
      [1],
      [2],
      [2, 2],
    ]);

    for (const moment of moments) {
      const byPosition = await api.get(auditor, `/audit/state?at=${moment.at}&group=strategic`);
      expect(byPosition.statusCode).toBe(200);
      const state = byPosition.json();
      expect(state.position).toBe(moment.state.position);
      expect(state.proposals).toEqual(moment.state.proposals);
      expect(state.actionItems).toEqual(moment.state.actionItems);
      const byTime = (
        await api.get(auditor, `/audit/state?at=${encodeURIComponent(moment.time)}&group=strategic`)
      ).json();
      expect(byTime.position).toBe(moment.state.position);
    }
    await t.close();
  });
});
