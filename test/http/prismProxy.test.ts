import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { type PrismProxy, startPrism } from '../support/prism';

/**
 * A client's representative flow, error and conditional paths included, through Stoplight Prism validating
 * every request and response against the OpenAPI document the app serves. `strict` runs with `--errors`;
 * `lenient` forwards even the requests the document refuses, so the server's own 400 and 401 for them
 * are checked against the document too.
 */

// Small enough to reach with a token of its own; each token of the flow stays well below it.
const RATE_LIMIT_MAX = 40;

let t: TestContext;
let strict: PrismProxy;
let lenient: PrismProxy;
const started: PrismProxy[] = [];
let directory: string;
let author: string;
let member: string;
let objector: string;
let chair: string;
let secretariat: string;
let auditor: string;

beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_MAX: String(RATE_LIMIT_MAX) } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const upstream = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  directory = await mkdtemp(path.join(tmpdir(), 'dialogue-prism-'));
  const document = path.join(directory, 'openapi.json');
  await writeFile(document, (await t.app.inject({ method: 'GET', url: '/docs/json' })).body);
  // Both at once; whichever started is stopped in afterAll even if the other failed to.
  const proxies = await Promise.allSettled([
    startPrism(document, upstream, { errors: true }),
    startPrism(document, upstream, { errors: false }),
  ]);
  for (const proxy of proxies) if (proxy.status === 'fulfilled') started.push(proxy.value);
  for (const proxy of proxies) if (proxy.status === 'rejected') throw proxy.reason;
  [strict, lenient] = started as [PrismProxy, PrismProxy];
  const delegates = await Promise.all(
    ['europol', 'afripol', 'aimc', 'interpol'].map((entity) => t.token('delegate', entity)),
  );
  [author, member, objector, chair] = delegates as [string, string, string, string];
  [secretariat, auditor] = await Promise.all([t.token('secretariat'), t.token('auditor')]);
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((proxy) => proxy.stop()));
  await t?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

async function send(
  proxy: PrismProxy,
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const res = await fetch(proxy.url + url, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Sends through the strict proxy and checks that what arrives is the server's answer, with no violation. */
async function call(
  status: number,
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Exchange> {
  const res = await send(strict, method, url, token, body, headers);
  expectNoViolation(res, `${method} ${url}`);
  expect(res.status, `${method} ${url}: ${res.text}`).toBe(status);
  return res;
}

function expectNoViolation(res: Exchange, what: string): void {
  // Prism names every violation it finds, warnings included, in this header.
  expect(res.headers.get('sl-violations'), `${what}: ${res.headers.get('sl-violations')}`).toBeNull();
  // With --errors, an error-level violation replaces the answer with Prism's own problem.
  expect(res.text, what).not.toContain('stoplight.io/prism/errors');
  // Prism's own answers carry no request id: this one is the server's, passed through.
  expect(res.headers.has('x-request-id'), `${what}: answered by Prism, not the server: ${res.status} ${res.text}`).toBe(
    true,
  );
}

function json<T>(res: Exchange): T {
  return JSON.parse(res.text) as T;
}

function expectProblem(res: Exchange, status: number): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(json<{ status: number }>(res).status).toBe(status);
}

interface Page {
  items: Array<{ id?: string }>;
  nextCursor: string | null;
}

let proposal: string;
let etag: string;

describe('a proposal through the validating proxy', () => {
  it('lists the groups, names a chair and submits a proposal with an Idempotency-Key, then replays it', async () => {
    await call(200, 'GET', '/health', null);
    await call(200, 'GET', '/entities', author);
    const groups = json<Array<{ id: string }>>(await call(200, 'GET', '/groups', author));
    expect(groups.map((group) => group.id)).toContain('strategic');
    await call(201, 'POST', '/groups/strategic/chairs', secretariat, { entityId: 'interpol' });

    const submission = { title: 'Shared alert format', body: 'One format for alerts.' };
    const first = await call(201, 'POST', '/groups/strategic/proposals', author, submission, {
      'idempotency-key': 'prism-submit',
    });
    proposal = json<{ id: string }>(first).id;
    expect(first.headers.get('location')).toBe(`/proposals/${proposal}`);
    const replay = await call(201, 'POST', '/groups/strategic/proposals', author, submission, {
      'idempotency-key': 'prism-submit',
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(json<{ id: string }>(replay).id).toBe(proposal);

    const listed = json<Page>(await call(200, 'GET', '/groups/strategic/proposals?status=open&limit=10', member));
    expect(listed.items.map((item) => item.id)).toEqual([proposal]);

    const reused = await call(
      422,
      'POST',
      '/groups/strategic/proposals',
      author,
      { ...submission, title: 'Another' },
      { 'idempotency-key': 'prism-submit' },
    );
    expectProblem(reused, 422);
  });

  it('reads it with an ETag, and a matching If-None-Match passes as a 304 without content headers', async () => {
    const read = await call(200, 'GET', `/proposals/${proposal}`, member);
    etag = read.headers.get('etag') ?? '';
    expect(etag).toBe('W/"1"');
    const unchanged = await call(304, 'GET', `/proposals/${proposal}`, member, undefined, { 'if-none-match': etag });
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(unchanged.headers.get('content-type')).toBeNull();
    expect(unchanged.headers.get('content-length')).toBeNull();
    expect(unchanged.text).toBe('');
  });

  it('revises with If-Match (200), answers a stale one with 412 and none at all with 428', async () => {
    await call(
      200,
      'POST',
      `/proposals/${proposal}/revisions`,
      author,
      { body: 'One format for all alerts.' },
      { 'if-match': etag },
    );
    expectProblem(
      await call(412, 'POST', `/proposals/${proposal}/revisions`, author, { body: 'Stale.' }, { 'if-match': etag }),
      412,
    );
    expectProblem(await call(428, 'POST', `/proposals/${proposal}/revisions`, author, { body: 'Unconditional.' }), 428);
    await call(200, 'GET', `/proposals/${proposal}`, member, undefined, { 'if-none-match': etag });
  });

  it('takes comments (409 on a stale expectedVersion) and pages through them', async () => {
    expectProblem(
      await call(409, 'POST', `/proposals/${proposal}/comments`, member, { body: 'Late.', expectedVersion: 1 }),
      409,
    );
    await call(201, 'POST', `/proposals/${proposal}/comments`, member, { body: 'Agreed.' });
    await call(201, 'POST', `/proposals/${proposal}/comments`, chair, { body: 'Noted.' });
    const first = json<Page>(await call(200, 'GET', `/proposals/${proposal}/comments?order=oldest&limit=1`, member));
    expect(first.items).toMatchObject([{ body: 'Agreed.' }]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = json<Page>(
      await call(
        200,
        'GET',
        `/proposals/${proposal}/comments?order=oldest&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
        member,
      ),
    );
    expect(second.items).toMatchObject([{ body: 'Noted.' }]);
    expect(second.nextCursor).toBeNull();
  });

  it('endorses and withdraws the endorsement with no body, objects and withdraws the objection', async () => {
    await call(201, 'POST', `/proposals/${proposal}/endorsements`, member);
    await call(200, 'DELETE', `/proposals/${proposal}/endorsements`, member);
    await call(201, 'POST', `/proposals/${proposal}/objections`, objector, { reason: 'Too broad.' });
    await call(200, 'DELETE', `/proposals/${proposal}/objections`, objector);
    await call(201, 'POST', `/proposals/${proposal}/endorsements`, member, { note: 'Yes.' });
  });

  it("records the chair's decision", async () => {
    await call(200, 'POST', `/proposals/${proposal}/decision`, chair, { outcome: 'adopted', note: 'Broad support.' });
    const read = json<{ status: string }>(await call(200, 'GET', `/proposals/${proposal}`, member));
    expect(read.status).toBe('adopted');
    await call(200, 'GET', `/proposals/${proposal}/history?limit=5`, member);
  });

  it('withdraws another proposal with no body', async () => {
    const other = json<{ id: string }>(
      await call(201, 'POST', '/groups/strategic/proposals', author, { title: 'Second', body: 'Text.' }),
    ).id;
    await call(200, 'POST', `/proposals/${other}/withdrawal`, author);
  });
});

describe('reference data through the validating proxy', () => {
  it('adds and removes a chair and a participant, the removals with no body', async () => {
    await call(201, 'POST', '/groups/operational/chairs', secretariat, { entityId: 'afripol' });
    await call(200, 'DELETE', '/groups/operational/chairs/afripol', secretariat);
    await call(200, 'DELETE', '/groups/operational/participants/frontex', secretariat);
    await call(201, 'POST', '/groups/operational/participants', secretariat, { entityId: 'frontex' });
  });
});

describe('action items through the validating proxy', () => {
  it('opens one, records progress, completes it with no body, reopens and cancels it', async () => {
    const opened = await call(201, 'POST', '/groups/strategic/action-items', chair, {
      title: 'Draft the format',
      ownerEntityId: 'europol',
      dueDate: '2026-12-01',
      proposalId: proposal,
    });
    const item = json<{ id: string }>(opened).id;
    await call(200, 'POST', `/action-items/${item}/due-date`, chair, { dueDate: '2026-12-08', reason: 'More time.' });
    await call(200, 'POST', `/action-items/${item}/progress`, author, { percent: 50, note: 'Half way.' });
    await call(200, 'POST', `/action-items/${item}/completion`, author);
    await call(200, 'POST', `/action-items/${item}/reopening`, chair, { reason: 'Missing a field.' });
    await call(200, 'POST', `/action-items/${item}/cancellation`, chair, { reason: 'Superseded.' });
    await call(200, 'GET', `/action-items/${item}`, author);
  });

  it("pages through the group's action items and shows the dashboard", async () => {
    await call(201, 'POST', '/groups/strategic/action-items', chair, {
      title: 'Second item',
      ownerEntityId: 'afripol',
      dueDate: '2026-12-15',
    });
    const first = json<Page>(await call(200, 'GET', '/groups/strategic/action-items?limit=1', member));
    expect(first.items).toMatchObject([{ title: 'Draft the format' }]);
    const second = json<Page>(
      await call(
        200,
        'GET',
        `/groups/strategic/action-items?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
        member,
      ),
    );
    expect(second.items).toMatchObject([{ title: 'Second item' }]);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    await call(200, 'GET', '/groups/strategic/dashboard', member);
    expect(
      (await call(200, 'GET', '/groups/strategic/action-items.csv?status=open', member)).headers.get('content-type'),
    ).toMatch(/^text\/csv/);
  });
});

describe('the log through the validating proxy', () => {
  it('pages through /events, exports the log and verifies it as an auditor', async () => {
    const first = json<{ events: unknown[]; next: number | null }>(await call(200, 'GET', '/events?limit=2', auditor));
    expect(first.events).toHaveLength(2);
    expect(first.next).toBe(2);
    const second = json<{ events: unknown[] }>(await call(200, 'GET', `/events?after=${first.next}&limit=2`, auditor));
    expect(second.events).toHaveLength(2);

    const exported = await call(200, 'GET', '/audit/export', auditor);
    expect(exported.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(exported.text.trim().split('\n').length).toBe(t.runtime.store.reader.head().position);
    expect(json<{ ok: boolean }>(await call(200, 'GET', '/audit/verify', auditor)).ok).toBe(true);
  });

  it('reads a stream, the public key, the checkpoint and the state at a position as an auditor', async () => {
    await call(200, 'GET', `/streams/proposal-${proposal}?limit=2`, auditor);
    await call(200, 'GET', '/audit/public-key', auditor);
    await call(200, 'GET', '/audit/checkpoint', auditor);
    await call(200, 'GET', '/audit/state?at=5&group=strategic', auditor);
  });
});

describe('errors through the validating proxy', () => {
  it('answers 400 for a request the document admits but the server refuses', async () => {
    const differs = await call(
      400,
      'POST',
      `/proposals/${proposal}/comments`,
      member,
      { body: 'c', expectedVersion: 1 },
      { 'if-match': 'W/"2"' },
    );
    expect(json<{ errors: unknown[] }>(differs).errors).toEqual([
      { path: 'body.expectedVersion', message: 'differs from If-Match' },
    ]);
    expectProblem(await call(400, 'GET', '/groups/strategic/proposals?cursor=not-a-cursor', member), 400);
  });

  it('answers 401 for an unknown token, 403 for the wrong role and 404 for an unknown id', async () => {
    expectProblem(await call(401, 'GET', '/groups', 'not-a-token'), 401);
    expectProblem(await call(403, 'GET', '/events', member), 403);
    expectProblem(await call(403, 'GET', '/audit/export', secretariat), 403);
    expectProblem(await call(404, 'GET', '/proposals/no-such-proposal', member), 404);
    expectProblem(await call(404, 'POST', '/proposals/no-such-proposal/comments', member, { body: 'c' }), 404);
  });

  it('answers 429 with Retry-After once a token is over its rate limit', async () => {
    const busy = await t.token('delegate', 'frontex');
    for (let i = 0; i < RATE_LIMIT_MAX; i += 1) await call(200, 'GET', '/groups', busy);
    const limited = await call(429, 'GET', '/groups', busy);
    expectProblem(limited, 429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it("documents what a request must be: the server's 400 and 401 for requests Prism itself refuses conform too", async () => {
    // The strict proxy answers these itself (422, 401), as the document rules them out.
    expect((await send(strict, 'POST', `/proposals/${proposal}/comments`, member, { junk: 1 })).status).toBe(422);
    expect((await send(strict, 'GET', '/groups', null)).status).toBe(401);

    for (const [res, status] of [
      [await send(lenient, 'POST', `/proposals/${proposal}/comments`, member, { junk: 1 }), 400],
      [await send(lenient, 'GET', '/groups', null), 401],
    ] as const) {
      expect(res.status, res.text).toBe(status);
      expectProblem(res, status);
      // Only the request is at fault: nothing the server answered violates the document.
      const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]') as Array<{ location: string[] }>;
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.filter((violation) => violation.location[0] !== 'request')).toEqual([]);
    }
  });
});
