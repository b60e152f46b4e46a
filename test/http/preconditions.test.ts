import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client, problem } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
let europol: string;
let afripol: string;
let interpol: string;
beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
  const secretariat = await t.token('secretariat');
  [europol, afripol, interpol] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'interpol'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
});
afterEach(async () => t.close());

describe('expectedVersion and If-Match on every write', () => {
  it('takes expectedVersion on comments, endorsements, objections, withdrawals and decisions: 409 when stale', async () => {
    const id = await api.submit(europol, 'strategic');
    const stale = await api.post(afripol, `/proposals/${id}/comments`, { body: 'late', expectedVersion: 0 });
    expect(stale.statusCode).toBe(409);
    expect(
      (await api.post(afripol, `/proposals/${id}/comments`, { body: 'on time', expectedVersion: 1 })).statusCode,
    ).toBe(201);
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, { expectedVersion: 1 })).statusCode).toBe(409);
    expect(
      (await api.post(afripol, `/proposals/${id}/endorsements`, { note: 'yes', expectedVersion: 2 })).statusCode,
    ).toBe(201);
    const aimc = await t.token('delegate', 'aimc');
    expect((await api.post(aimc, `/proposals/${id}/objections`, { reason: 'r', expectedVersion: 2 })).statusCode).toBe(
      409,
    );
    expect(
      (await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'n', expectedVersion: 2 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'n', expectedVersion: 3 }))
        .statusCode,
    ).toBe(200);
    const other = await api.submit(europol, 'strategic');
    expect((await api.post(europol, `/proposals/${other}/withdrawal`, { expectedVersion: 2 })).statusCode).toBe(409);
    expect((await api.post(europol, `/proposals/${other}/withdrawal`, { expectedVersion: 1 })).statusCode).toBe(200);
  });

  it('takes expectedVersion in the body of a DELETE too, and refuses any other field there', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, {})).statusCode).toBe(201);
    const del = (payload: unknown) =>
      t.app.inject({
        method: 'DELETE',
        url: `/proposals/${id}/endorsements`,
        headers: { ...t.auth(afripol), 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    expect((await del({ expectedVersion: 1 })).statusCode).toBe(409);
    const junk = await del({ expectedVersion: 2, junk: 1 });
    expect(junk.statusCode).toBe(400);
    expect(problem(junk).errors?.[0]?.path).toBe('body.junk');
    expect((await del({ expectedVersion: 2 })).statusCode).toBe(200);
  });

  it("checks chair and participation changes against the group's version, which each of their responses gives", async () => {
    const secretariat = await t.token('secretariat');
    const groups = (await api.get(secretariat, '/groups')).json() as Array<Record<string, unknown>>;
    // The contract's shape, nothing added.
    expect(Object.keys(groups[0] ?? {}).sort()).toEqual(['chairs', 'id', 'name', 'participants']);
    const first = await api.post(secretariat, '/groups/operational/chairs', { entityId: 'europol' });
    expect(first.statusCode).toBe(201);
    const version = first.json().version as number;
    const remove = (payload: unknown) =>
      t.app.inject({
        method: 'DELETE',
        url: '/groups/operational/chairs/europol',
        headers: { ...t.auth(secretariat), 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    expect((await remove({ expectedVersion: version - 1 })).statusCode).toBe(409);
    const removed = await remove({ expectedVersion: version });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().version).toBe(version + 1);
    expect(
      (await api.post(secretariat, '/groups/operational/chairs', { entityId: 'europol', expectedVersion: version }))
        .statusCode,
    ).toBe(409);
    expect(
      (await api.post(secretariat, '/groups/operational/chairs', { entityId: 'europol', expectedVersion: version + 1 }))
        .statusCode,
    ).toBe(201);
  });

  it('answers a body version that disagrees with If-Match with 400 naming both', async () => {
    const id = await api.submit(europol, 'strategic');
    const res = await api.post(
      afripol,
      `/proposals/${id}/comments`,
      { body: 'c', expectedVersion: 1 },
      { 'if-match': 'W/"2"' },
    );
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors).toEqual([{ path: 'body.expectedVersion', message: 'differs from If-Match' }]);
  });

  it('takes If-Match: * as "whatever the current version" on an existing item', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/comments`, { body: 'c' }, { 'if-match': '*' })).statusCode).toBe(
      201,
    );
    expect(
      (await api.post(europol, `/proposals/${id}/revisions`, { body: 'New text' }, { 'if-match': '*' })).statusCode,
    ).toBe(200);
    expect(
      (await api.post(afripol, `/proposals/missing/comments`, { body: 'c' }, { 'if-match': '*' })).statusCode,
    ).toBe(404);
  });

  it("checks If-Match on creation against the new item's version 0: 412 for any other", async () => {
    const stale = await api.post(
      europol,
      '/groups/strategic/proposals',
      { title: 't', body: 'b' },
      { 'if-match': 'W/"3"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().currentVersion).toBe(0);
    expect(
      (await api.post(europol, '/groups/strategic/proposals', { title: 't', body: 'b' }, { 'if-match': 'W/"0"' }))
        .statusCode,
    ).toBe(201);
    const item = { title: 'Draft the MoU', ownerEntityId: 'afripol', dueDate: '2026-03-10' };
    expect(
      (await api.post(interpol, '/groups/strategic/action-items', item, { 'if-match': 'W/"99"' })).statusCode,
    ).toBe(412);
    expect((await api.post(interpol, '/groups/strategic/action-items', item, { 'if-match': '*' })).statusCode).toBe(
      201,
    );
  });

  it('takes expectedVersion on action-item transitions: 409 when stale', async () => {
    const created = await api.post(interpol, '/groups/strategic/action-items', {
      title: 'Draft the MoU',
      ownerEntityId: 'afripol',
      dueDate: '2026-03-10',
    });
    const id = created.json().id as string;
    expect(
      (await api.post(afripol, `/action-items/${id}/progress`, { percent: 10, note: 'n', expectedVersion: 0 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await api.post(afripol, `/action-items/${id}/progress`, { percent: 10, note: 'n', expectedVersion: 1 }))
        .statusCode,
    ).toBe(200);
    expect((await api.post(afripol, `/action-items/${id}/completion`, { expectedVersion: 2 })).statusCode).toBe(200);
    expect(
      (await api.post(interpol, `/action-items/${id}/reopening`, { reason: 'r', expectedVersion: 2 })).statusCode,
    ).toBe(409);
    expect(
      (await api.post(interpol, `/action-items/${id}/reopening`, { reason: 'r' }, { 'if-match': 'W/"2"' })).statusCode,
    ).toBe(412);
    expect(
      (await api.post(interpol, `/action-items/${id}/reopening`, { reason: 'r', expectedVersion: 3 })).statusCode,
    ).toBe(200);
  });
});

describe('what a client sends back as it was given', () => {
  it('takes replyTo: null as no reply, as the view shows it', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/comments`, { body: 'c', replyTo: null })).statusCode).toBe(201);
    expect((await api.get(afripol, `/proposals/${id}`)).json().comments).toEqual([
      expect.objectContaining({ body: 'c', replyTo: null }),
    ]);
  });

  it('takes a JSON content type over an empty body as no body: fine where every field is optional', async () => {
    const id = await api.submit(europol, 'strategic');
    const empty = (method: 'POST' | 'DELETE', url: string) =>
      t.app.inject({ method, url, headers: { ...t.auth(afripol), 'content-type': 'application/json' } });
    expect((await empty('POST', `/proposals/${id}/endorsements`)).statusCode).toBe(201);
    expect((await empty('DELETE', `/proposals/${id}/endorsements`)).statusCode).toBe(200);
    const comment = await empty('POST', `/proposals/${id}/comments`);
    expect(comment.statusCode).toBe(400);
    expect(problem(comment).errors).toEqual([{ path: 'body', message: expect.stringContaining('expected object') }]);
  });

  it("gives an idempotent replay of a creation the first answer's Location too", async () => {
    const first = await api.post(
      afripol,
      '/groups/strategic/proposals',
      { title: 'Idem', body: 'b' },
      { 'idempotency-key': 'p-1' },
    );
    const again = await api.post(
      afripol,
      '/groups/strategic/proposals',
      { title: 'Idem', body: 'b' },
      { 'idempotency-key': 'p-1' },
    );
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/proposals/${first.json().id}`);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.json()).toEqual(first.json());
  });
});

describe('every 400 lists what is wrong', () => {
  it('names the body for malformed JSON and for a request that changes nothing', async () => {
    const id = await api.submit(europol, 'strategic');
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/proposals/${id}/comments`,
      headers: { ...t.auth(afripol), 'content-type': 'application/json' },
      payload: '{"body":"x"',
    });
    expect(malformed.statusCode).toBe(400);
    expect(problem(malformed).errors).toEqual([{ path: 'body', message: expect.stringContaining('not valid JSON') }]);
    const unchanged = await api.post(europol, `/proposals/${id}/revisions`, {
      title: 'A proposal',
      expectedVersion: 1,
    });
    expect(unchanged.statusCode).toBe(400);
    expect(problem(unchanged).errors).toEqual([
      { path: 'body', message: 'this revision changes neither the title nor the body' },
    ]);
  });

  it('answers a path that cannot be decoded with a 400 problem naming the url', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/proposals/%E0%A4%A', headers: t.auth(afripol) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problem(res).errors).toEqual([{ path: 'url', message: expect.stringContaining('cannot be decoded') }]);
  });
});
