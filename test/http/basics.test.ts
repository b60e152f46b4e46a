import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { revokeToken } from '../../src/tokens/tokens';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const json = { 'content-type': 'application/json' };

describe('health and reference data', () => {
  it('answers health without a token, with the head position', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', position: t.runtime.store.reader.head().position });
  });

  it('lists the 11 entities of the contract: 9 members and 2 observers', async () => {
    const token = await t.token('delegate', 'europol');
    const res = await t.app.inject({ method: 'GET', url: '/entities', headers: t.auth(token) });
    expect(res.statusCode).toBe(200);
    const entities = res.json() as Array<{ id: string; kind: string }>;
    expect(entities).toHaveLength(11);
    expect(
      entities
        .filter((e) => e.kind === 'observer')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['sco', 'unodc']);
    expect(entities.find((e) => e.id === 'aimc')).toEqual({
      id: 'aimc',
      name: "Arab Interior Ministers' Council",
      kind: 'member',
    });
  });

  it('lists both working groups with every entity participating and no chair on a new database', async () => {
    const token = await t.token('auditor');
    const res = await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(token) });
    expect(res.statusCode).toBe(200);
    const groups = res.json() as Array<{ id: string; chairs: string[]; participants: string[] }>;
    expect(groups.map((g) => g.id)).toEqual(['operational', 'strategic']);
    for (const group of groups) {
      expect(group.participants).toHaveLength(11);
      expect(group.chairs).toEqual([]);
    }
  });

  it('records the reference data as events, once, even when seeding runs again', async () => {
    const { ensureReferenceData } = await import('../../src/dialogue/seed');
    const before = t.runtime.store.reader.head().position;
    expect(await ensureReferenceData(t.runtime.store)).toBe(0);
    expect(t.runtime.store.reader.head().position).toBe(before);
    const types = [...t.runtime.store.reader.iterate()].map((e) => e.type);
    expect(types.filter((type) => type === 'EntityRegistered')).toHaveLength(11);
    expect(types.filter((type) => type === 'GroupFormed')).toHaveLength(2);
    expect(types.filter((type) => type === 'ParticipantAdded')).toHaveLength(22);
  });
});

describe('authentication', () => {
  it('refuses a request without a token with 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/groups' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses an unknown token and a malformed header with 401', async () => {
    for (const authorization of ['Bearer dlg_nope', 'Bearer', 'Basic abc', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await t.app.inject({ method: 'GET', url: '/groups', headers: { authorization } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses a revoked token from the next request on', async () => {
    const token = await t.token('delegate', 'frontex');
    expect((await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(token) })).statusCode).toBe(200);
    const tokenId = (
      t.runtime.db.sqlite.prepare('SELECT token_id FROM tokens ORDER BY issued_at DESC, rowid DESC LIMIT 1').get() as {
        token_id: string;
      }
    ).token_id;
    await revokeToken(t.runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'revoke');
    expect((await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(token) })).statusCode).toBe(401);
  });

  it('does not accept the token in the query string on ordinary routes', async () => {
    const token = await t.token('delegate', 'frontex');
    const res = await t.app.inject({ method: 'GET', url: `/groups?token=${token}` });
    expect(res.statusCode).toBe(401);
  });
});

describe('chairs', () => {
  it('lets the secretariat appoint and remove a chair, recorded as events', async () => {
    const sec = await t.token('secretariat');
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json },
      payload: { entityId: 'europol' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      position: expect.any(Number),
      receipt: { position: body.position, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const groups = (await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(sec) })).json() as Array<{
      id: string;
      chairs: string[];
    }>;
    expect(groups.find((g) => g.id === 'strategic')?.chairs).toEqual(['europol']);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/groups/strategic/chairs/europol',
      headers: t.auth(sec),
    });
    expect(removed.statusCode).toBe(200);
    const events = t.runtime.store.reader.readStream('group-strategic').map((e) => e.type);
    expect(events.slice(-2)).toEqual(['ChairAppointed', 'ChairRemoved']);
  });

  it('refuses chair changes by delegates and auditors with 403', async () => {
    for (const token of [await t.token('delegate', 'europol'), await t.token('auditor')]) {
      const post = await t.app.inject({
        method: 'POST',
        url: '/groups/strategic/chairs',
        headers: { ...t.auth(token), ...json },
        payload: { entityId: 'europol' },
      });
      expect(post.statusCode).toBe(403);
      const del = await t.app.inject({
        method: 'DELETE',
        url: '/groups/strategic/chairs/europol',
        headers: t.auth(token),
      });
      expect(del.statusCode).toBe(403);
    }
  });

  it('answers 404 for an unknown group or entity, and 409 to remove an entity that does not chair or participate', async () => {
    const sec = await t.token('secretariat');
    const h = { ...t.auth(sec), ...json };
    const call = async (method: 'POST' | 'DELETE', url: string, payload?: Record<string, string>) =>
      (
        await t.app.inject(
          payload === undefined ? { method, url, headers: t.auth(sec) } : { method, url, headers: h, payload },
        )
      ).statusCode;
    expect(await call('POST', '/groups/nope/chairs', { entityId: 'europol' })).toBe(404);
    expect(await call('POST', '/groups/strategic/chairs', { entityId: 'nope' })).toBe(404);
    expect(await call('DELETE', '/groups/strategic/chairs/nope')).toBe(404);
    expect(await call('DELETE', '/groups/nope/chairs/europol')).toBe(404);
    expect(await call('DELETE', '/groups/strategic/chairs/europol')).toBe(409);
    expect(await call('DELETE', '/groups/strategic/participants/nope')).toBe(404);
    expect(await call('DELETE', '/groups/strategic/participants/europol')).toBe(200);
    expect(await call('DELETE', '/groups/strategic/participants/europol')).toBe(409);
  });

  it('honours If-Match on chair and participation changes: 412 when the group has moved on, W/"<version>" or * otherwise', async () => {
    const sec = await t.token('secretariat');
    const version = () => t.runtime.store.reader.readStream('group-operational').length;
    const at = version();
    const appoint = (ifMatch: string) =>
      t.app.inject({
        method: 'POST',
        url: '/groups/operational/chairs',
        headers: { ...t.auth(sec), ...json, 'if-match': ifMatch },
        payload: { entityId: 'europol' },
      });
    const stale = await appoint(`W/"${at - 1}"`);
    expect(stale.statusCode).toBe(412);
    expect(stale.json().currentVersion).toBe(at);
    expect((await appoint(`W/"${at}"`)).statusCode).toBe(201);
    const remove = (ifMatch: string) =>
      t.app.inject({
        method: 'DELETE',
        url: '/groups/operational/chairs/europol',
        headers: { ...t.auth(sec), 'if-match': ifMatch },
      });
    expect((await remove(`W/"${at}"`)).statusCode).toBe(412);
    expect((await remove('*')).statusCode).toBe(200);
    const bad = await remove('yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'headers.if-match', message: 'expected W/"<version>" or *' }]);
  });

  it('answers 409 when the entity already chairs, is an observer, or does not participate', async () => {
    const sec = await t.token('secretariat');
    const appoint = async (entityId: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/groups/strategic/chairs',
          headers: { ...t.auth(sec), ...json },
          payload: { entityId },
        })
      ).statusCode;
    expect(await appoint('europol')).toBe(201);
    expect(await appoint('europol')).toBe(409);
    expect(await appoint('sco')).toBe(409);
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/groups/strategic/participants/frontex', headers: t.auth(sec) }))
        .statusCode,
    ).toBe(200);
    expect(await appoint('frontex')).toBe(409);
  });
});

describe('problem+json for every error', () => {
  it('answers malformed JSON with 400', async () => {
    const sec = await t.token('secretariat');
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json },
      payload: '{"entityId":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers unknown fields and wrong types with 400 and errors[]', async () => {
    const sec = await t.token('secretariat');
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json },
      payload: { entityId: 'europol', role: 'chair' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'body.role', message: 'unknown field' }]);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json },
      payload: { entityId: 42 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.entityId');
  });

  it('refuses __proto__ and constructor in a body with 400', async () => {
    const sec = await t.token('secretariat');
    for (const payload of [
      '{"entityId":"europol","__proto__":{"x":1}}',
      '{"entityId":"europol","constructor":{"prototype":{}}}',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/groups/strategic/chairs',
        headers: { ...t.auth(sec), ...json },
        payload,
      });
      expect(res.statusCode).toBe(400);
    }
  });

  it('answers a body over 64 KiB with 413', async () => {
    const sec = await t.token('secretariat');
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json },
      payload: JSON.stringify({ entityId: 'x'.repeat(70 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413 });
  });

  it('answers an unknown route with 401 without a token and 404 problem+json with one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(401);
    const token = await t.token('delegate', 'europol');
    const res = await t.app.inject({ method: 'GET', url: '/nowhere', headers: t.auth(token) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('carries a request id in every response and keeps a client-supplied one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'client-req-1' } });
    expect(res.headers['x-request-id']).toBe('client-req-1');
    const other = await t.app.inject({ method: 'GET', url: '/nowhere' });
    expect(other.json().requestId).toBe(other.headers['x-request-id']);
  });
});

describe('idempotency keys', () => {
  it('replays the first response for the same key and body and records nothing new', async () => {
    const sec = await t.token('secretariat');
    const headers = { ...t.auth(sec), ...json, 'idempotency-key': 'appoint-1' };
    const first = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers,
      payload: { entityId: 'europol' },
    });
    const head = t.runtime.store.reader.head();
    const again = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers,
      payload: { entityId: 'europol' },
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(t.runtime.store.reader.head()).toEqual(head);
    const event = t.runtime.store.reader.readStream('group-strategic').at(-1);
    expect(event?.metadata.idempotencyKey).toBe('appoint-1');
  });

  it('answers 422 when the same key comes with another body', async () => {
    const sec = await t.token('secretariat');
    const headers = { ...t.auth(sec), ...json, 'idempotency-key': 'appoint-2' };
    await t.app.inject({ method: 'POST', url: '/groups/strategic/chairs', headers, payload: { entityId: 'europol' } });
    const other = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers,
      payload: { entityId: 'frontex' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });

  it('scopes keys to the token: another caller with the same key is not answered from the first', async () => {
    const a = await t.token('secretariat');
    const b = await t.token('secretariat');
    const post = (token: string, entityId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/groups/strategic/chairs',
        headers: { ...t.auth(token), ...json, 'idempotency-key': 'same' },
        payload: { entityId },
      });
    expect((await post(a, 'europol')).statusCode).toBe(201);
    expect((await post(b, 'frontex')).statusCode).toBe(201);
  });

  it('records one event for concurrent repeats of the same key', async () => {
    const sec = await t.token('secretariat');
    const headers = { ...t.auth(sec), ...json, 'idempotency-key': 'burst' };
    const head = t.runtime.store.reader.head().position;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.app.inject({ method: 'POST', url: '/groups/operational/chairs', headers, payload: { entityId: 'interpol' } }),
      ),
    );
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(t.runtime.store.reader.head().position).toBe(head + 1);
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const sec = await t.token('secretariat');
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(sec), ...json, 'idempotency-key': 'x'.repeat(300) },
      payload: { entityId: 'europol' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('serves the generated document at /docs/json and the UI at /docs without a token (they hold no data)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/groups/{groupId}/chairs'].post.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AddChairRequest' } } },
    });
    expect(doc.paths['/groups/{groupId}/chairs'].post.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/WriteResult' } } },
    });
  });
});
