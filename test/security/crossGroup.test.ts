import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

/**
 * An id from another group, or one the caller may not see, must be indistinguishable from an id that does
 * not exist: same status, same title, same detail once the id itself is taken out. Otherwise a caller can
 * probe for the existence (and the state) of another group's content.
 */
let t: TestContext;
let api: ReturnType<typeof client>;
let chair: string;
let author: string;
let observer: string;
let strategicAdopted: string;
let strategicMembers: string;

const MISSING = 'does-not-exist-0001';

function shape(res: LightMyRequestResponse, id: string): { status: number; title: string; detail: string } {
  const body = res.json() as { status: number; title: string; detail: string };
  return { status: res.statusCode, title: body.title, detail: body.detail.replaceAll(id, '<id>') };
}

beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_MAX: '100000' } });
  api = client(t);
  const secretariat = await t.token('secretariat');
  [chair, author, observer] = await Promise.all([
    t.token('delegate', 'interpol'),
    t.token('delegate', 'europol'),
    t.token('delegate', 'unodc'),
  ]);
  for (const group of ['strategic', 'operational'])
    await api.post(secretariat, `/groups/${group}/chairs`, { entityId: 'interpol' });
  strategicAdopted = await api.submit(author, 'strategic', { title: 'Adopted strategic plan' });
  expect(
    (await api.post(chair, `/proposals/${strategicAdopted}/decision`, { outcome: 'adopted', note: 'n' })).statusCode,
  ).toBe(200);
  strategicMembers = await api.submit(author, 'strategic', { title: 'Members only', visibility: 'members' });
});
afterAll(async () => t.close());

describe('ids across groups and beyond visibility', () => {
  it('answers a members-only proposal to an observer exactly as a missing proposal, on every proposal route', async () => {
    const routes: Array<[method: 'get' | 'post' | 'del', suffix: string, body?: unknown]> = [
      ['get', ''],
      ['get', '/history'],
      ['post', '/comments', { body: 'c' }],
      ['del', '/endorsements'],
    ];
    for (const [method, suffix, body] of routes) {
      const call = (id: string) =>
        method === 'post'
          ? api.post(observer, `/proposals/${id}${suffix}`, body)
          : api[method](observer, `/proposals/${id}${suffix}`);
      const hidden = shape(await call(strategicMembers), strategicMembers);
      const missing = shape(await call(MISSING), MISSING);
      expect(hidden, `${method} ${suffix}`).toEqual(missing);
      expect(hidden.status).toBe(404);
    }
  });

  // Groups are public (GET /groups lists them to every token): refusing one reveals nothing, so a group the
  // caller does not take part in is the contract's 403 ("not a participant"), a missing one a 404.
  it('refuses a group the caller does not take part in with 403, and answers a missing group with 404', async () => {
    const secretariat = await t.token('secretariat');
    await api.del(secretariat, '/groups/operational/participants/eco');
    const eco = await t.token('delegate', 'eco');
    for (const suffix of ['/proposals', '/action-items', '/action-items.csv', '/dashboard']) {
      expect(shape(await api.get(eco, `/groups/operational${suffix}`), 'operational').status, suffix).toBe(403);
      expect(shape(await api.get(eco, `/groups/nowhere${suffix}`), 'nowhere').status, suffix).toBe(404);
    }
    expect((await api.post(eco, '/groups/operational/proposals', { title: 't', body: 'b' })).statusCode).toBe(403);
  });

  // The decision runs before the version check, so a stale expectation cannot reveal a hidden proposal.
  it('answers a stale revision of a hidden proposal exactly as one of a missing proposal: 404', async () => {
    const attempts: Array<[body: Record<string, unknown>, headers: Record<string, string>]> = [
      [{ title: 'x', expectedVersion: 7 }, {}],
      [{ title: 'x' }, { 'if-match': 'W/"7"' }],
    ];
    for (const [body, headers] of attempts) {
      const revise = (id: string) => api.post(observer, `/proposals/${id}/revisions`, body, headers);
      const hidden = shape(await revise(strategicMembers), strategicMembers);
      expect(hidden.status).toBe(404);
      expect(hidden).toEqual(shape(await revise(MISSING), MISSING));
    }
  });

  it('answers a strategic proposal id under an operational path exactly as a missing id', async () => {
    const open = (proposalId: string) =>
      api.post(chair, '/groups/operational/action-items', {
        title: 't',
        ownerEntityId: 'afripol',
        dueDate: '2026-12-01',
        proposalId,
      });
    const head = t.runtime.store.reader.head().position;
    const crossGroup = shape(await open(strategicAdopted), strategicAdopted);
    const missing = shape(await open(MISSING), MISSING);
    expect(t.runtime.store.reader.head().position).toBe(head);
    expect(crossGroup).toEqual(missing);
  });
});
