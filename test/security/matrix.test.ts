import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

/**
 * The object-level authorisation matrix: for every route, the status each kind of caller gets. Callers
 * cover role x entity kind x participation; proposal routes run against a `dialogue` and a `members`
 * proposal (a pair [dialogue, members] in the table). Every item is created fresh for each call.
 */
type Caller = 'member' | 'author' | 'observer' | 'outsider' | 'chair' | 'secretariat' | 'auditor' | 'anonymous';
type Expect = Record<Caller, number | [number, number]>;
interface Fixture {
  proposal: string;
  item: string;
  /**
   * Editions, made only for the edition routes' rows: `edition` has the proposal on its agenda, four
   * entities attending and a draft of two paragraphs (at `version`); `bare` has nothing; `silenced` has its
   * declaration under silence.
   */
  edition: string;
  bare: string;
  silenced: string;
  version: number;
}
interface Row {
  url: (f: Fixture) => string;
  body?: unknown | ((f: Fixture) => unknown);
  headers?: (f: Fixture) => Record<string, string>;
  expect: Expect;
}

const CALLERS: Caller[] = ['member', 'author', 'observer', 'outsider', 'chair', 'secretariat', 'auditor', 'anonymous'];
const read = (): Expect => ({
  member: 200,
  author: 200,
  observer: [200, 404],
  outsider: 404,
  chair: 200,
  secretariat: 200,
  auditor: 200,
  anonymous: 401,
});
const groupRead = (): Expect => ({ ...read(), observer: 200 });
/** A group's own routes: groups are public, so an entity outside the group is refused (403), not hidden. */
const groupRoute = (): Expect => ({ ...groupRead(), outsider: 403 });
const nobody = (ok: Partial<Expect>): Expect => ({
  member: 403,
  author: 403,
  observer: [403, 404],
  outsider: 404,
  chair: 403,
  secretariat: 403,
  auditor: 403,
  anonymous: 401,
  ...ok,
});
const staffOnly = (ok: Partial<Expect>): Expect => ({
  member: 403,
  author: 403,
  observer: 403,
  outsider: 403,
  chair: 403,
  secretariat: 403,
  auditor: 403,
  anonymous: 401,
  ...ok,
});

/** Editions are the whole Dialogue's: every token reads them. */
const anyToken = (): Expect => ({ ...groupRead(), outsider: 200 });

const everyone = (status: number): Expect => ({
  member: status,
  author: status,
  observer: status,
  outsider: status,
  chair: status,
  secretariat: status,
  auditor: status,
  anonymous: status,
});

const ROWS: Record<string, Row> = {
  'get /health': { url: () => '/health', expect: everyone(200) },
  'get /ready': { url: () => '/ready', expect: everyone(200) },
  'get /metrics': { url: () => '/metrics', expect: staffOnly({ secretariat: 200, auditor: 200 }) },
  // The API's documentation holds no data: a browser opens it without a token.
  'get /docs': { url: () => '/docs', expect: everyone(200) },
  'get /docs/json': { url: () => '/docs/json', expect: everyone(200) },
  'get /docs/asyncapi.json': { url: () => '/docs/asyncapi.json', expect: everyone(200) },
  'get /entities': { url: () => '/entities', expect: { ...groupRead(), outsider: 200 } },
  'get /groups': { url: () => '/groups', expect: { ...groupRead(), outsider: 200 } },
  'get /me': { url: () => '/me', expect: { ...groupRead(), outsider: 200 } },
  'post /groups/{groupId}/proposals': {
    url: () => '/groups/strategic/proposals',
    body: { title: 't', body: 'b' },
    expect: { ...nobody({ member: 201, author: 201, chair: 201 }), observer: 403, outsider: 403 },
  },
  'get /groups/{groupId}/proposals': { url: () => '/groups/strategic/proposals', expect: groupRoute() },
  'get /groups/{groupId}/proposals/similar': {
    url: () => '/groups/strategic/proposals/similar?title=t&body=b',
    expect: groupRoute(),
  },
  'get /proposals/{id}': { url: (f) => `/proposals/${f.proposal}`, expect: read() },
  'get /proposals/{id}/history': { url: (f) => `/proposals/${f.proposal}/history`, expect: read() },
  'get /proposals/{id}/comments': { url: (f) => `/proposals/${f.proposal}/comments`, expect: read() },
  'post /proposals/{id}/revisions': {
    url: (f) => `/proposals/${f.proposal}/revisions`,
    body: { title: 'new', expectedVersion: 1 },
    expect: nobody({ author: 200 }),
  },
  'post /proposals/{id}/comments': {
    url: (f) => `/proposals/${f.proposal}/comments`,
    body: { body: 'c' },
    expect: nobody({ member: 201, author: 201, chair: 201, observer: [201, 404] }),
  },
  'post /proposals/{id}/endorsements': {
    url: (f) => `/proposals/${f.proposal}/endorsements`,
    body: {},
    expect: nobody({ member: 201, chair: 201 }),
  },
  'delete /proposals/{id}/endorsements': {
    url: (f) => `/proposals/${f.proposal}/endorsements`,
    expect: nobody({ member: 409, author: 409, chair: 409 }),
  },
  'post /proposals/{id}/objections': {
    url: (f) => `/proposals/${f.proposal}/objections`,
    body: { reason: 'r' },
    expect: nobody({ member: 201, chair: 201 }),
  },
  'delete /proposals/{id}/objections': {
    url: (f) => `/proposals/${f.proposal}/objections`,
    expect: nobody({ member: 409, author: 409, chair: 409 }),
  },
  'post /proposals/{id}/withdrawal': {
    url: (f) => `/proposals/${f.proposal}/withdrawal`,
    body: {},
    expect: nobody({ author: 200 }),
  },
  'post /proposals/{id}/decision': {
    url: (f) => `/proposals/${f.proposal}/decision`,
    body: { outcome: 'rejected', note: 'n' },
    expect: nobody({ chair: 200 }),
  },
  'post /groups/{groupId}/action-items': {
    url: () => '/groups/strategic/action-items',
    body: { title: 't', ownerEntityId: 'afripol', dueDate: '2026-12-01' },
    expect: { ...nobody({ chair: 201 }), observer: 403, outsider: 403 },
  },
  'get /groups/{groupId}/action-items': { url: () => '/groups/strategic/action-items', expect: groupRoute() },
  'get /groups/{groupId}/action-items.csv': { url: () => '/groups/strategic/action-items.csv', expect: groupRoute() },
  'get /groups/{groupId}/dashboard': { url: () => '/groups/strategic/dashboard', expect: groupRoute() },
  'get /action-items/{id}': { url: (f) => `/action-items/${f.item}`, expect: groupRead() },
  'get /action-items/{id}/history': { url: (f) => `/action-items/${f.item}/history`, expect: groupRead() },
  'post /action-items/{id}/due-date': {
    url: (f) => `/action-items/${f.item}/due-date`,
    body: { dueDate: '2026-12-24', reason: 'r' },
    expect: { ...nobody({ chair: 200 }), observer: 403 },
  },
  'post /action-items/{id}/progress': {
    url: (f) => `/action-items/${f.item}/progress`,
    body: { percent: 50, note: 'n' },
    expect: { ...nobody({ member: 200, chair: 200 }), observer: 403 },
  },
  'post /action-items/{id}/completion': {
    url: (f) => `/action-items/${f.item}/completion`,
    body: {},
    expect: { ...nobody({ member: 200, chair: 200 }), observer: 403 },
  },
  'post /action-items/{id}/reopening': {
    url: (f) => `/action-items/${f.item}/reopening`,
    body: { reason: 'r' },
    expect: { ...nobody({ chair: 409 }), observer: 403 },
  },
  'post /action-items/{id}/cancellation': {
    url: (f) => `/action-items/${f.item}/cancellation`,
    body: { reason: 'r' },
    expect: { ...nobody({ chair: 200 }), observer: 403 },
  },
  'get /events': { url: () => '/events', expect: staffOnly({ secretariat: 200, auditor: 200 }) },
  'get /streams/{streamId}': {
    url: () => '/streams/group-strategic',
    expect: staffOnly({ secretariat: 200, auditor: 200 }),
  },
  'get /audit/export': { url: () => '/audit/export', expect: staffOnly({ auditor: 200 }) },
  'get /audit/verify': { url: () => '/audit/verify', expect: staffOnly({ auditor: 200 }) },
  'get /audit/checkpoint': { url: () => '/audit/checkpoint', expect: staffOnly({ auditor: 200 }) },
  'get /audit/state': { url: () => '/audit/state?at=1&group=strategic', expect: staffOnly({ auditor: 200 }) },
  'get /audit/public-key': { url: () => '/audit/public-key', expect: { ...groupRead(), outsider: 200 } },
  'post /proposals/{id}/closes-at': {
    url: (f) => `/proposals/${f.proposal}/closes-at`,
    body: { closesAt: '2026-12-01T00:00:00Z', reason: 'r' },
    expect: nobody({ chair: 200 }),
  },
  'post /editions': {
    url: () => '/editions',
    body: { number: 9999, title: 't', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'v' },
    expect: staffOnly({ secretariat: 201 }),
  },
  'get /editions': { url: () => '/editions', expect: anyToken() },
  'get /editions/{id}': { url: (f) => `/editions/${f.edition}`, expect: anyToken() },
  'get /editions/{id}/report': { url: (f) => `/editions/${f.edition}/report`, expect: anyToken() },
  'get /editions/{id}/report.md': { url: (f) => `/editions/${f.edition}/report.md`, expect: anyToken() },
  'post /editions/{id}/agenda': {
    url: (f) => `/editions/${f.bare}/agenda`,
    body: (f: Fixture) => ({ proposalId: f.proposal }),
    expect: staffOnly({ secretariat: 201 }),
  },
  'delete /editions/{id}/agenda/{proposalId}': {
    url: (f) => `/editions/${f.edition}/agenda/${f.proposal}`,
    expect: staffOnly({ secretariat: 200 }),
  },
  'post /editions/{id}/attendance': {
    url: (f) => `/editions/${f.bare}/attendance`,
    body: { entityId: 'frontex', delegates: ['d'] },
    expect: staffOnly({ secretariat: 201 }),
  },
  'delete /editions/{id}/attendance/{entityId}': {
    url: (f) => `/editions/${f.edition}/attendance/afripol`,
    expect: staffOnly({ secretariat: 200 }),
  },
  'post /editions/{id}/declaration': {
    url: (f) => `/editions/${f.bare}/declaration`,
    body: {},
    expect: staffOnly({ secretariat: 201 }),
  },
  'get /editions/{id}/declaration': { url: (f) => `/editions/${f.edition}/declaration`, expect: anyToken() },
  'get /editions/{id}/declaration/history': {
    url: (f) => `/editions/${f.edition}/declaration/history`,
    expect: anyToken(),
  },
  'get /editions/{id}/declaration/diff': {
    url: (f) => `/editions/${f.edition}/declaration/diff?from=1&to=3`,
    expect: anyToken(),
  },
  'get /editions/{id}/declaration.md': { url: (f) => `/editions/${f.edition}/declaration.md`, expect: anyToken() },
  'get /editions/{id}/declaration.html': { url: (f) => `/editions/${f.edition}/declaration.html`, expect: anyToken() },
  'post /editions/{id}/declaration/paragraphs': {
    url: (f) => `/editions/${f.edition}/declaration/paragraphs`,
    body: (f: Fixture) => ({ text: 't', expectedVersion: f.version }),
    expect: staffOnly({ secretariat: 201 }),
  },
  'put /editions/{id}/declaration/paragraphs/{n}': {
    url: (f) => `/editions/${f.edition}/declaration/paragraphs/1`,
    body: (f: Fixture) => ({ text: 'new', expectedVersion: f.version }),
    expect: staffOnly({ secretariat: 200 }),
  },
  'delete /editions/{id}/declaration/paragraphs/{n}': {
    url: (f) => `/editions/${f.edition}/declaration/paragraphs/1`,
    headers: (f) => ({ 'if-match': `W/"${f.version}"` }),
    expect: staffOnly({ secretariat: 200 }),
  },
  'post /editions/{id}/declaration/paragraphs/{n}/move': {
    url: (f) => `/editions/${f.edition}/declaration/paragraphs/1/move`,
    body: (f: Fixture) => ({ to: 2, expectedVersion: f.version }),
    expect: staffOnly({ secretariat: 200 }),
  },
  'post /editions/{id}/declaration/silence': {
    url: (f) => `/editions/${f.edition}/declaration/silence`,
    body: { until: '2026-03-02T12:00:00.000Z' },
    expect: staffOnly({ secretariat: 200 }),
  },
  // Attending member entities may break silence; the observer attended but may not; eco did not attend.
  'post /editions/{id}/declaration/silence/breaks': {
    url: (f) => `/editions/${f.silenced}/declaration/silence/breaks`,
    body: { reason: 'r' },
    expect: staffOnly({ member: 201, author: 201, chair: 201 }),
  },
  // Participation and chairs are changed in the operational group, so the strategic fixtures stay as they are.
  'post /groups/{groupId}/chairs': {
    url: () => '/groups/operational/chairs',
    body: { entityId: 'afripol' },
    expect: staffOnly({ secretariat: 201 }),
  },
  'delete /groups/{groupId}/chairs/{entityId}': {
    url: () => '/groups/operational/chairs/afripol',
    expect: staffOnly({ secretariat: 200 }),
  },
  'delete /groups/{groupId}/participants/{entityId}': {
    url: () => '/groups/operational/participants/sco',
    expect: staffOnly({ secretariat: 200 }),
  },
  'post /groups/{groupId}/participants': {
    url: () => '/groups/operational/participants',
    body: { entityId: 'sco' },
    expect: staffOnly({ secretariat: 201 }),
  },
};

let t: TestContext;
let api: ReturnType<typeof client>;
const tokens = {} as Record<Exclude<Caller, 'anonymous'>, string>;

beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_MAX: '100000' } });
  api = client(t);
  const entities = {
    member: 'afripol',
    author: 'europol',
    observer: 'unodc',
    outsider: 'eco',
    chair: 'interpol',
  } as const;
  for (const [caller, entityId] of Object.entries(entities))
    tokens[caller as keyof typeof entities] = await t.token('delegate', entityId);
  tokens.secretariat = await t.token('secretariat');
  tokens.auditor = await t.token('auditor');
  await api.post(tokens.secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  await api.del(tokens.secretariat, '/groups/strategic/participants/eco');
});
afterAll(async () => t.close());

async function fixture(visibility: 'dialogue' | 'members', editions: boolean): Promise<Fixture> {
  const proposal = await api.submit(tokens.author, 'strategic', { visibility });
  const res = await api.post(tokens.chair, '/groups/strategic/action-items', {
    title: 'i',
    ownerEntityId: 'afripol',
    dueDate: '2026-12-01',
  });
  const made = { proposal, item: res.json().id };
  if (!editions) return { ...made, edition: '', bare: '', silenced: '', version: 0 };
  const [edition, bare, silenced] = [await editionWith(proposal), await schedule(), await editionWith(proposal)];
  const version = await draft(edition, 2);
  await draft(silenced, 1);
  await ok(
    api.post(tokens.secretariat, `/editions/${silenced}/declaration/silence`, { until: '2026-03-02T12:00:00Z' }),
  );
  return { ...made, edition, bare, silenced, version };
}

let editionNumber = 0;

async function ok(response: Promise<{ statusCode: number; body: string }>): Promise<void> {
  const res = await response;
  if (res.statusCode >= 300) throw new Error(`fixture refused: ${res.statusCode} ${res.body}`);
}

async function schedule(): Promise<string> {
  editionNumber += 1;
  const edition = { number: editionNumber, title: 'e', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'v' };
  return (await api.post(tokens.secretariat, '/editions', edition)).json().id;
}

/** An edition with the proposal on its agenda and the member, author, chair and observer entities attending. */
async function editionWith(proposal: string): Promise<string> {
  const id = await schedule();
  await ok(api.post(tokens.secretariat, `/editions/${id}/agenda`, { proposalId: proposal }));
  for (const entityId of ['afripol', 'europol', 'interpol', 'unodc'])
    await ok(api.post(tokens.secretariat, `/editions/${id}/attendance`, { entityId, delegates: ['d'] }));
  return id;
}

/** Drafts the edition's declaration with `paragraphs` paragraphs; returns the edition's version. */
async function draft(edition: string, paragraphs: number): Promise<number> {
  let version = (await api.post(tokens.secretariat, `/editions/${edition}/declaration`, {})).json().version;
  for (let n = 0; n < paragraphs; n += 1) {
    const res = await api.post(tokens.secretariat, `/editions/${edition}/declaration/paragraphs`, {
      text: `paragraph ${n}`,
      expectedVersion: version,
    });
    version = res.json().version;
  }
  return version;
}

it('gives every caller the status of the table on every route, and every route has a row', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method} ${path}`),
  );
  const missing = routes.filter((route) => !(route in ROWS) && !route.includes('/ws'));
  expect(missing, 'routes without a row in the matrix').toEqual([]);

  const mismatches: string[] = [];
  let checked = 0;
  for (const [route, row] of Object.entries(ROWS)) {
    const method = route.split(' ')[0]?.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE';
    const editions = route.includes(' /editions/');
    for (const visibility of ['dialogue', 'members'] as const) {
      const usesVisibility = row
        .url({ proposal: '§', item: '', edition: '', bare: '', silenced: '', version: 0 })
        .includes('§');
      if (visibility === 'members' && !usesVisibility) continue;
      for (const caller of CALLERS) {
        const f = await fixture(visibility, editions);
        const expected = row.expect[caller];
        const want = Array.isArray(expected) ? expected[visibility === 'dialogue' ? 0 : 1] : expected;
        const headers: Record<string, string> =
          caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[caller]}` };
        if (row.body !== undefined) headers['content-type'] = 'application/json';
        const body = typeof row.body === 'function' ? row.body(f) : row.body;
        const res = await t.app.inject({
          method,
          url: row.url(f),
          headers: { ...headers, ...row.headers?.(f) },
          ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
        });
        checked += 1;
        if (res.statusCode !== want)
          mismatches.push(
            `${route} [${visibility}] as ${caller}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBeGreaterThan(300);
}, 120_000);
