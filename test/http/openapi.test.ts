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
    'get /health',
    'get /entities',
    'get /groups',
    'post /groups/{groupId}/chairs',
    'delete /groups/{groupId}/chairs/{entityId}',
    'post /groups/{groupId}/proposals',
    'get /groups/{groupId}/proposals',
    'get /proposals/{id}/history',
    'get /proposals/{id}',
    'post /proposals/{id}/revisions',
    'post /proposals/{id}/comments',
    'post /proposals/{id}/endorsements',
    'delete /proposals/{id}/endorsements',
    'post /proposals/{id}/objections',
    'delete /proposals/{id}/objections',
    'post /proposals/{id}/withdrawal',
    'post /proposals/{id}/decision',
    'post /groups/{groupId}/action-items',
    'get /groups/{groupId}/action-items',
    'get /groups/{groupId}/action-items.csv',
    'get /action-items/{id}/history',
    'post /action-items/{id}/due-date',
    'post /action-items/{id}/progress',
    'post /action-items/{id}/completion',
    'post /action-items/{id}/reopening',
    'post /action-items/{id}/cancellation',
    'get /groups/{groupId}/dashboard',
    'get /events',
    'get /audit/verify',
    'get /streams/{streamId}',
    'get /audit/export',
    'get /audit/public-key',
    'get /audit/checkpoint',
    'get /audit/state',
  ];
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method} ${path}`),
  );
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
type Document = {
  paths: Record<string, Record<string, Operation>>;
  servers?: Array<{ url: string }>;
  components?: Record<string, unknown>;
};

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
    'post /proposals/{id}/endorsements',
    'delete /proposals/{id}/endorsements',
    'delete /proposals/{id}/objections',
    'post /proposals/{id}/withdrawal',
    'post /action-items/{id}/completion',
    'post /editions/{id}/declaration',
    'delete /groups/{groupId}/chairs/{entityId}',
    'delete /groups/{groupId}/participants/{entityId}',
    'delete /editions/{id}/agenda/{proposalId}',
    'delete /editions/{id}/attendance/{entityId}',
  ];
  const required = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.requestBody?.required === true)
      .map(([method]) => `${method} ${path}`),
  );
  const notRequired = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.requestBody?.required === false)
      .map(([method]) => `${method} ${path}`),
  );
  expect(notRequired.sort()).toEqual([...optional].sort());
  expect(required).toEqual(
    expect.arrayContaining([
      'post /proposals/{id}/objections',
      'post /groups/{groupId}/proposals',
      'post /action-items/{id}/reopening',
    ]),
  );
  // What the document says is what the server does: each of them answers a call without a body.
  const secretariat = await t.token('secretariat');
  const res = await t.app.inject({
    method: 'DELETE',
    url: '/groups/strategic/participants/eco',
    headers: t.auth(secretariat),
  });
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

interface Response {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
  headers?: Record<string, { $ref?: string }>;
}
interface FullOperation extends Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, Response>;
}

async function operations(): Promise<Array<[string, FullOperation]>> {
  const doc = (await documentOf()) as unknown as { paths: Record<string, Record<string, FullOperation>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, FullOperation] => [`${method} ${path}`, operation]),
  );
}

const problemOf = (response: Response | undefined) => response?.content?.['application/problem+json']?.schema?.$ref;

it('gives every operation a unique operationId and a summary', async () => {
  const all = await operations();
  expect(all.length).toBeGreaterThanOrEqual(38);
  for (const [route, operation] of all) {
    expect(operation.operationId, route).toMatch(/^[a-z][A-Za-z]+$/);
    expect(operation.summary, route).toBeTruthy();
  }
  for (const [route, operation] of all) {
    for (const [status, response] of Object.entries(operation.responses))
      expect(response.description, `${route} ${status}`).not.toBe('Default Response');
  }
  const ids = all.map(([, operation]) => operation.operationId);
  expect(new Set(ids).size).toBe(ids.length);
});

it('documents 400 and 401 (but on GET /health and /ready) with the shared Problem schema, and 403/404 where the route refuses', async () => {
  const all = new Map(await operations());
  const doc = (await documentOf()) as unknown as { components: { schemas: Record<string, { required?: string[] }> } };
  expect(doc.components.schemas.Problem?.required).toEqual(['type', 'title', 'status', 'detail']);
  for (const [route, operation] of all) {
    expect(problemOf(operation.responses['400']), route).toBe('#/components/schemas/Problem');
    expect(problemOf(operation.responses['429']), route).toBe('#/components/schemas/Problem');
    if (route === 'get /health' || route === 'get /ready') expect(operation.responses['401']).toBeUndefined();
    else expect(problemOf(operation.responses['401']), route).toBe('#/components/schemas/Problem');
  }
  expect(problemOf(all.get('get /proposals/{id}')?.responses['404'])).toBe('#/components/schemas/Problem');
  expect(problemOf(all.get('post /groups/{groupId}/chairs')?.responses['403'])).toBe('#/components/schemas/Problem');
  expect(problemOf(all.get('get /audit/state')?.responses['403'])).toBe('#/components/schemas/Problem');
  expect(all.get('get /proposals/{id}')?.responses['403']).toBeUndefined();
  expect(problemOf(all.get('get /ready')?.responses['503'])).toBe('#/components/schemas/Problem');
});

it('documents If-Match, Idempotency-Key, 409, 412 and 422 on every write, and the 428 rule on revisions and paragraph edits only', async () => {
  const needPrecondition = new Set([
    'post /proposals/{id}/revisions',
    'post /editions/{id}/declaration/paragraphs',
    'put /editions/{id}/declaration/paragraphs/{n}',
    'delete /editions/{id}/declaration/paragraphs/{n}',
    'post /editions/{id}/declaration/paragraphs/{n}/move',
  ]);
  for (const [route, operation] of await operations()) {
    const headers = (operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name);
    expect(headers, route).toContain('x-request-id');
    const write = route.startsWith('post ') || route.startsWith('put ') || route.startsWith('delete ');
    if (!write) {
      expect(headers, route).not.toContain('if-match');
      continue;
    }
    expect(headers, route).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
    for (const status of ['409', '412', '422'])
      expect(problemOf(operation.responses[status]), `${route} ${status}`).toBe('#/components/schemas/Problem');
    const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
    expect(Object.keys(success?.[1].headers ?? {}), route).toContain('Idempotent-Replayed');
    if (needPrecondition.has(route)) {
      expect(problemOf(operation.responses['428'])).toBe('#/components/schemas/Problem');
      expect(operation.description).toMatch(/428/);
    } else expect(operation.responses['428'], route).toBeUndefined();
  }
});

it('documents 304, If-None-Match and the ETag on GET /proposals/{id}, Location on creations, rate-limit headers and Retry-After', async () => {
  const all = new Map(await operations());
  const proposal = all.get('get /proposals/{id}');
  expect(proposal?.parameters?.map((parameter) => parameter.name)).toContain('if-none-match');
  expect(proposal?.responses['304']?.content).toBeUndefined();
  expect(proposal?.responses['304']?.headers?.ETag).toEqual({ $ref: '#/components/headers/ETag' });
  expect(proposal?.responses['200']?.headers?.ETag).toEqual({ $ref: '#/components/headers/ETag' });
  expect(all.get('get /action-items/{id}')?.responses['200']?.headers?.ETag).toEqual({
    $ref: '#/components/headers/ETag',
  });
  for (const route of ['post /groups/{groupId}/proposals', 'post /groups/{groupId}/action-items']) {
    expect(all.get(route)?.responses['201']?.headers?.Location, route).toEqual({
      $ref: '#/components/headers/Location',
    });
  }
  expect(all.get('post /groups/{groupId}/chairs')?.responses['201']?.headers?.Location).toBeUndefined();
  const limited = all.get('get /groups')?.responses['429']?.headers ?? {};
  expect(Object.keys(limited)).toEqual(
    expect.arrayContaining([
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'X-Request-Id',
    ]),
  );
  const doc = (await documentOf()) as unknown as { components: { headers: Record<string, unknown> } };
  expect(Object.keys(doc.components.headers)).toEqual(
    expect.arrayContaining(['ETag', 'Location', 'IdempotentReplayed', 'RetryAfter', 'XRequestId']),
  );
  // The headers named are the ones the server sends.
  const token = await t.token('delegate', 'europol');
  const res = await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(token) });
  expect(res.headers).toMatchObject({
    'x-request-id': expect.stringMatching(/^[\w-]{12}$/),
    'x-ratelimit-limit': '1200',
    'x-ratelimit-remaining': '1199',
    'x-ratelimit-reset': expect.stringMatching(/^\d+$/),
  });
});

it('names views and request bodies as component schemas, with timestamps as date-time and write results closed', async () => {
  const doc = (await documentOf()) as unknown as {
    paths: Record<string, Record<string, FullOperation>>;
    components: {
      schemas: Record<
        string,
        {
          properties?: Record<string, { type?: unknown; format?: string; items?: unknown; $ref?: string }>;
          additionalProperties?: unknown;
        }
      >;
    };
  };
  const { schemas } = doc.components;
  for (const name of [
    'ProposalView',
    'ProposalPage',
    'CommentPage',
    'ActionItemView',
    'ActionItemPage',
    'Dashboard',
    'History',
    'WriteResult',
    'StoredEvent',
    'Checkpoint',
    'Problem',
    'Entity',
    'Group',
  ]) {
    expect(schemas[name], name).toMatchObject({ type: 'object' });
  }
  const view = doc.paths['/proposals/{id}']?.get?.responses['200']?.content?.['application/json']?.schema;
  expect(view).toEqual({ $ref: '#/components/schemas/ProposalView' });
  const requestBody = doc.paths['/groups/{groupId}/proposals']?.post?.requestBody as
    | { content: Record<string, { schema: unknown }> }
    | undefined;
  const body = requestBody?.content['application/json']?.schema;
  expect(body).toEqual({ $ref: '#/components/schemas/SubmitProposalRequest' });
  expect(schemas.SubmitProposalRequest?.properties?.title).toMatchObject({
    type: 'string',
    minLength: 1,
    maxLength: 200,
  });
  // No component is left that nothing references (the zod transform emits an input copy of each).
  expect(Object.keys(schemas).filter((name) => name.endsWith('Input'))).toEqual([]);

  for (const [name, field] of [
    ['ProposalView', 'createdAt'],
    ['ProposalView', 'updatedAt'],
    ['ProposalSummary', 'lastActivityAt'],
    ['ActionItemView', 'updatedAt'],
    ['StoredEvent', 'recordedAt'],
    ['Checkpoint', 'recordedAt'],
    ['Comment', 'at'],
    ['HistoryEntry', 'recordedAt'],
  ] as const) {
    expect(schemas[name]?.properties?.[field]?.format, `${name}.${field}`).toBe('date-time');
  }
  expect(schemas.WriteResult?.additionalProperties).toBe(false);
  const state = doc.paths['/audit/state']?.get?.responses['200']?.content?.['application/json']?.schema as {
    properties: Record<string, { items?: unknown }>;
  };
  expect(state.properties.proposals?.items).toEqual({ $ref: '#/components/schemas/ProposalView' });
  expect(state.properties.actionItems?.items).toEqual({ $ref: '#/components/schemas/ActionItemView' });
});
