import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';

let t: TestContext;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

it('describes every route of the contract with a success response schema', async () => {
  expect((await t.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
  const token = await t.token('delegate', 'europol');
  const doc = (await t.app.inject({ method: 'GET', url: '/docs/json', headers: t.auth(token) })).json() as {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown; description?: string }> }>>;
  };
  const contract = [
    'get /health', 'get /entities', 'get /groups', 'post /groups/{groupId}/chairs', 'delete /groups/{groupId}/chairs/{entityId}',
    'post /groups/{groupId}/proposals', 'get /groups/{groupId}/proposals', 'get /proposals/{id}/history', 'get /proposals/{id}',
    'post /proposals/{id}/revisions', 'post /proposals/{id}/comments', 'post /proposals/{id}/endorsements', 'delete /proposals/{id}/endorsements',
    'post /proposals/{id}/objections', 'delete /proposals/{id}/objections', 'post /proposals/{id}/withdrawal', 'post /proposals/{id}/decision',
    'post /groups/{groupId}/action-items', 'get /groups/{groupId}/action-items', 'get /groups/{groupId}/action-items.csv',
    'get /action-items/{id}/history', 'post /action-items/{id}/due-date', 'post /action-items/{id}/progress', 'post /action-items/{id}/completion',
    'post /action-items/{id}/reopening', 'post /action-items/{id}/cancellation', 'get /groups/{groupId}/dashboard', 'get /events',
    'get /audit/verify', 'get /streams/{streamId}', 'get /audit/export', 'get /audit/public-key', 'get /audit/checkpoint', 'get /audit/state',
  ];
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
  expect(documented).toEqual(expect.arrayContaining(contract));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const success = Object.keys(operation.responses ?? {}).filter((code) => code.startsWith('2'));
      expect(success.length, `${method} ${path} has no success response`).toBeGreaterThan(0);
    }
  }
});

it('refuses query parameters on routes that take none with 400', async () => {
  const token = await t.token('delegate', 'europol');
  for (const url of ['/groups?x=1', '/entities?limit=5', '/health?verbose=1']) {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth(token) });
    expect(res.statusCode, url).toBe(400);
    expect(res.json().errors[0].path).toMatch(/^querystring/);
  }
});
