import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';

let t: TestContext;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

it('describes every route of the contract with a success response schema', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
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

type Operation = { requestBody?: { required?: boolean }; security?: unknown[] };
type Document = { paths: Record<string, Record<string, Operation>>; servers?: Array<{ url: string }>; components?: Record<string, unknown> };

async function documentOf(app = t.app): Promise<Document> {
  return (await app.inject({ method: 'GET', url: '/docs/json' })).json() as Document;
}

it('serves the document, the UI and its assets without a token, and no route beyond them', async () => {
  for (const url of ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/swagger-initializer.js']) {
    expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  }
  for (const url of ['/groups', '/docsx', '/docs-json', '/events']) {
    expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
  }
});

it("declares the bearer scheme the UI's Authorize button uses, required by every operation but GET /health", async () => {
  const doc = await documentOf();
  expect(doc.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  expect(doc.paths['/health']?.get?.security).toEqual([]);
  const initializer = (await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })).body;
  expect(initializer).toContain('json');
});

it('marks a request body required only where the server requires one', async () => {
  const doc = await documentOf();
  const optional = [
    'post /proposals/{id}/endorsements', 'delete /proposals/{id}/endorsements', 'delete /proposals/{id}/objections',
    'post /proposals/{id}/withdrawal', 'post /action-items/{id}/completion', 'delete /groups/{groupId}/chairs/{entityId}',
    'delete /groups/{groupId}/participants/{entityId}',
  ];
  const required = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).filter(([, operation]) => operation.requestBody?.required === true).map(([method]) => `${method} ${path}`),
  );
  const notRequired = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).filter(([, operation]) => operation.requestBody?.required === false).map(([method]) => `${method} ${path}`),
  );
  expect(notRequired.sort()).toEqual([...optional].sort());
  expect(required).toEqual(expect.arrayContaining(['post /proposals/{id}/objections', 'post /groups/{groupId}/proposals', 'post /action-items/{id}/reopening']));
  // What the document says is what the server does: each of them answers a call without a body.
  const secretariat = await t.token('secretariat');
  const res = await t.app.inject({ method: 'DELETE', url: '/groups/strategic/participants/eco', headers: t.auth(secretariat) });
  expect(res.statusCode).toBe(200);
});

it('names where the service is reached: PUBLIC_URL when set, else the listening address', async () => {
  expect((await documentOf()).servers).toEqual([{ url: 'http://127.0.0.1:3000' }]);
  const other = await createTestApp({ env: { PUBLIC_URL: 'https://dialogue.example.org/' } });
  try {
    expect((await documentOf(other.app)).servers).toEqual([{ url: 'https://dialogue.example.org' }]);
  } finally {
    await other.close();
  }
});
