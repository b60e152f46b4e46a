import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { expectViewsEqualRebuild } from '../support/views';
import { client } from './support';

let t: TestContext;
let api: ReturnType<typeof client>;
let europol: string;
let unodc: string;
let auditor: string;
let secret: string;
let open: string;

beforeAll(async () => {
  t = await createTestApp();
  api = client(t);
  [europol, unodc, auditor] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'unodc'),
    t.token('auditor'),
  ]);
  secret = await api.submit(europol, 'strategic', {
    title: 'Members only ransomware plan',
    body: 'Sensitive text.',
    visibility: 'members',
  });
  open = await api.submit(europol, 'strategic', { title: 'Open ransomware plan', body: 'Shared text.' });
  await api.post(europol, `/proposals/${secret}/comments`, { body: 'ransomware detail' });
});
afterAll(async () => t.close());

describe('members-only proposals and observer entities', () => {
  it('answers 404 to an observer asking for it by id, history or comments', async () => {
    expect((await api.get(unodc, `/proposals/${secret}`)).statusCode).toBe(404);
    expect((await api.get(unodc, `/proposals/${secret}/history`)).statusCode).toBe(404);
    expect((await api.post(unodc, `/proposals/${secret}/comments`, { body: 'x' })).statusCode).toBe(404);
  });

  it("leaves it out of an observer's list, search and counts", async () => {
    const list = (await api.get(unodc, '/groups/strategic/proposals')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([open]);
    const search = (await api.get(unodc, '/groups/strategic/proposals?q=ransomware')).json();
    expect(search.items.map((i: { id: string }) => i.id)).toEqual([open]);
  });

  it('shows it to member entities and to the auditor', async () => {
    expect((await api.get(auditor, `/proposals/${secret}`)).statusCode).toBe(200);
    const search = (await api.get(europol, '/groups/strategic/proposals?q=ransomware')).json();
    expect(search.items.map((i: { id: string }) => i.id).sort()).toEqual([open, secret].sort());
  });
});

describe('rebuild', () => {
  it('replays a long deliberation (200+ events) into views identical row for row', async () => {
    const tokens = await Promise.all(
      ['afripol', 'ameripol', 'aseanapol', 'aimc', 'eco', 'frontex', 'gccpol'].map((e) => t.token('delegate', e)),
    );
    const sec = await t.token('secretariat');
    await api.post(sec, '/groups/operational/chairs', { entityId: 'interpol' });
    const chair = await t.token('delegate', 'interpol');
    for (let p = 0; p < 12; p += 1) {
      const id = await api.submit(europol, p % 2 ? 'strategic' : 'operational', {
        title: `Plan ${p} on border data`,
        pillars: ['single-node'],
        visibility: p % 3 ? 'dialogue' : 'members',
      });
      for (const [i, token] of tokens.entries()) {
        await api.post(token, `/proposals/${id}/comments`, { body: `Comment ${i} on plan ${p}` });
        if ((i + p) % 3 === 0) await api.post(token, `/proposals/${id}/objections`, { reason: 'Legal basis' });
        else await api.post(token, `/proposals/${id}/endorsements`);
      }
      await api.post(tokens[p % tokens.length] as string, `/proposals/${id}/endorsements`, undefined);
      await api.del(tokens[(p + 1) % tokens.length] as string, `/proposals/${id}/endorsements`);
      const { version } = (await api.get(europol, `/proposals/${id}`)).json();
      await api.post(europol, `/proposals/${id}/revisions`, { body: `Revised ${p}`, expectedVersion: version });
      if (p % 4 === 0) await api.post(europol, `/proposals/${id}/withdrawal`);
      else if (p % 2 === 0)
        await api.post(chair, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'Agreed', override: true });
    }
    const proposalEvents = [...t.runtime.store.reader.iterate()].filter((e) => e.streamId.startsWith('proposal-'));
    expect(proposalEvents.length).toBeGreaterThanOrEqual(200);

    expectViewsEqualRebuild(t.runtime);
  });
});
