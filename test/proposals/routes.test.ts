import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { callers, client, problem } from './support';

let t: TestContext;
let api: ReturnType<typeof client>;
let europol: string;
let afripol: string;
let aimc: string;
let unodc: string;
let interpol: string;
let secretariat: string;
let auditor: string;

beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
  ({ europol, afripol, aimc, unodc, interpol, secretariat, auditor } = await callers(t));
});
afterEach(async () => t.close());

describe('POST /groups/:groupId/proposals', () => {
  it('answers 201 with id, version, position, receipt and similar proposals across both groups', async () => {
    const first = await api.submit(europol, 'strategic', {
      title: 'Shared cybercrime threat picture',
      body: 'Exchange cybercrime threat assessments every quarter.',
    });
    const res = await api.post(afripol, '/groups/operational/proposals', {
      title: 'Cybercrime threat assessments',
      body: 'Quarterly cybercrime threat assessments shared between regions.',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      version: 1,
      position: expect.any(Number),
      receipt: { position: body.position, hash: expect.any(String) },
    });
    expect(body.similar).toEqual([
      { id: first, groupId: 'strategic', title: 'Shared cybercrime threat picture', score: expect.any(Number) },
    ]);
    expect(res.headers.location).toBe(`/proposals/${body.id}`);
  });

  it('suggests only proposals of groups the author takes part in', async () => {
    await api.del(secretariat, '/groups/operational/participants/aimc');
    await api.submit(europol, 'operational', {
      title: 'Maritime piracy data exchange',
      body: 'Piracy incident data exchange.',
    });
    const res = await api.post(aimc, '/groups/strategic/proposals', {
      title: 'Piracy incident data',
      body: 'Maritime piracy incident data exchange.',
    });
    expect(res.json().similar).toEqual([]);
  });

  it('refuses an observer entity with 403', async () => {
    expect((await api.post(unodc, '/groups/strategic/proposals', { title: 't', body: 'b' })).statusCode).toBe(403);
  });

  it('refuses the secretariat with 403', async () => {
    expect((await api.post(secretariat, '/groups/strategic/proposals', { title: 't', body: 'b' })).statusCode).toBe(
      403,
    );
  });

  it('answers 404 for an unknown group and 403 for a group the entity does not take part in', async () => {
    expect((await api.post(europol, '/groups/tactical/proposals', { title: 't', body: 'b' })).statusCode).toBe(404);
    await api.del(secretariat, '/groups/strategic/participants/europol');
    const outside = await api.post(europol, '/groups/strategic/proposals', { title: 't', body: 'b' });
    expect(outside.statusCode).toBe(403);
    expect(problem(outside).detail).toBe('europol does not participate in strategic');
  });

  it('refuses an unknown pillar with 400 naming the allowed ones', async () => {
    const res = await api.post(europol, '/groups/strategic/proposals', {
      title: 't',
      body: 'b',
      pillars: ['single-node', 'space'],
    });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]).toEqual({
      path: 'body.pillars.1',
      message: expect.stringContaining('platform-for-plans, single-node, frontline-access, architecture-and-standards'),
    });
  });

  it('refuses unknown fields, blank titles and a missing body with 400', async () => {
    for (const [payload, error] of [
      [
        { title: 't', body: 'b', status: 'adopted' },
        { path: 'body.status', message: 'unknown field' },
      ],
      [
        { title: '  ', body: 'b' },
        { path: 'body.title', message: 'must not be blank' },
      ],
      [{ title: 't' }, { path: 'body.body', message: expect.stringContaining('expected string') }],
    ] as const) {
      const res = await api.post(europol, '/groups/strategic/proposals', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(problem(res).errors, JSON.stringify(payload)).toEqual([error]);
    }
  });

  it('refuses a request without a token with 401', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      payload: { title: 't', body: 'b' },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /groups/:groupId/proposals', () => {
  it('lists summaries newest first with counts and pages with an opaque cursor', async () => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await api.submit(europol, 'strategic', { title: `Proposal ${i}` }));
    await api.post(afripol, `/proposals/${ids[4]}/endorsements`);
    await api.post(unodc, `/proposals/${ids[4]}/comments`, { body: 'A comment' });
    const first = await api.get(afripol, '/groups/strategic/proposals?limit=2');
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items.map((item: { id: string }) => item.id)).toEqual([ids[4], ids[3]]);
    expect(page.items[0].counts).toEqual({ endorsements: 1, objections: 0, comments: 1 });
    const seen = [...page.items];
    let cursor = page.nextCursor;
    while (cursor) {
      const next = (await api.get(afripol, `/groups/strategic/proposals?limit=2&cursor=${cursor}`)).json();
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    expect(seen.map((item) => item.id)).toEqual([...ids].reverse());
  });

  it('filters by status and pillar', async () => {
    const a = await api.submit(europol, 'strategic', { pillars: ['single-node'] });
    const b = await api.submit(europol, 'strategic', { pillars: ['frontline-access'] });
    await api.post(europol, `/proposals/${b}/withdrawal`, {});
    const ids = async (query: string) =>
      (await api.get(afripol, `/groups/strategic/proposals?${query}`)).json().items.map((i: { id: string }) => i.id);
    expect(await ids('pillar=single-node')).toEqual([a]);
    expect(await ids('status=withdrawn')).toEqual([b]);
    expect(await ids('status=open&pillar=frontline-access')).toEqual([]);
  });

  it('searches titles, bodies and comments, ranked, and treats query syntax (FTS5, PostgreSQL) as words', async () => {
    const inTitle = await api.submit(europol, 'strategic', { title: 'Ransomware response', body: 'Coordination.' });
    const inComment = await api.submit(europol, 'strategic', {
      title: 'Incident coordination',
      body: 'Shared channel.',
    });
    await api.submit(europol, 'strategic', { title: 'Unrelated', body: 'Border statistics.' });
    await api.post(afripol, `/proposals/${inComment}/comments`, { body: 'This should cover ransomware too.' });
    const res = await api.get(afripol, '/groups/strategic/proposals?q=ransomware');
    expect(res.json().items.map((i: { id: string }) => i.id)).toEqual([inTitle, inComment]);
    for (const q of ['"', '*', 'NEAR(', 'title:x', '-', 'a OR', "'; DROP TABLE events; --", 'a & !b', 'x:*', '<->']) {
      const odd = await api.get(afripol, `/groups/strategic/proposals?q=${encodeURIComponent(q)}`);
      expect(odd.statusCode, q).toBe(200);
    }
  });

  it('refuses a bad cursor, limit over 200 and unknown query parameters with 400', async () => {
    for (const query of ['cursor=nonsense', 'limit=201', 'limit=0', 'status=lost', 'sort=title']) {
      expect((await api.get(afripol, `/groups/strategic/proposals?${query}`)).statusCode, query).toBe(400);
    }
  });

  it('answers 403 to an entity outside the group, 404 for an unknown group', async () => {
    await api.del(secretariat, '/groups/strategic/participants/afripol');
    expect((await api.get(afripol, '/groups/strategic/proposals')).statusCode).toBe(403);
    expect((await api.get(afripol, '/groups/tactical/proposals')).statusCode).toBe(404);
  });
});

describe('GET /proposals/:id and its history', () => {
  it('serves the full view with a weak ETag of its version, and 304 for a fresh copy', async () => {
    const id = await api.submit(europol, 'strategic', { pillars: ['single-node'] });
    const res = await api.get(unodc, `/proposals/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toMatchObject({
      id,
      groupId: 'strategic',
      title: 'A proposal',
      body: 'Its text.',
      pillars: ['single-node'],
      visibility: 'dialogue',
      status: 'open',
      version: 1,
      revision: 1,
      authorEntityId: 'europol',
      endorsements: [],
      objections: [],
      comments: [],
      actionItems: [],
    });
    expect((await api.get(unodc, `/proposals/${id}`, { 'if-none-match': 'W/"1"' })).statusCode).toBe(304);
  });

  it('lists the events of the proposal with actor and time', async () => {
    const id = await api.submit(europol, 'strategic');
    await api.post(afripol, `/proposals/${id}/endorsements`, { note: 'Yes' });
    const res = await api.get(auditor, `/proposals/${id}/history`);
    expect(res.statusCode).toBe(200);
    const events = res.json().events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ProposalSubmitted', 'ProposalEndorsed']);
    expect(events[1].actor).toMatchObject({ entityId: 'afripol', role: 'delegate' });
  });

  it('answers 404 for an unknown id, on the view and on the history', async () => {
    expect((await api.get(europol, '/proposals/nope')).statusCode).toBe(404);
    expect((await api.get(europol, '/proposals/nope/history')).statusCode).toBe(404);
  });
});

describe('POST /proposals/:id/revisions', () => {
  it('revises with the current expectedVersion and counts the revision', async () => {
    const id = await api.submit(europol, 'strategic');
    const res = await api.post(europol, `/proposals/${id}/revisions`, { body: 'Better text.', expectedVersion: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2 });
    expect((await api.get(europol, `/proposals/${id}`)).json()).toMatchObject({
      revision: 2,
      body: 'Better text.',
      version: 2,
    });
  });

  it('accepts If-Match instead of expectedVersion and answers 412 when it is stale', async () => {
    const id = await api.submit(europol, 'strategic');
    expect(
      (await api.post(europol, `/proposals/${id}/revisions`, { title: 'New' }, { 'if-match': 'W/"1"' })).statusCode,
    ).toBe(200);
    const stale = await api.post(europol, `/proposals/${id}/revisions`, { title: 'Newer' }, { 'if-match': 'W/"1"' });
    expect(stale.statusCode).toBe(412);
  });

  it('answers 409 to a stale expectedVersion and 428 without either', async () => {
    const id = await api.submit(europol, 'strategic');
    await api.post(afripol, `/proposals/${id}/comments`, { body: 'Comments move the version too.' });
    expect((await api.post(europol, `/proposals/${id}/revisions`, { title: 'x', expectedVersion: 1 })).statusCode).toBe(
      409,
    );
    expect((await api.post(europol, `/proposals/${id}/revisions`, { title: 'x' })).statusCode).toBe(428);
  });

  it('refuses another entity with 403 and a withdrawn proposal with 409', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/revisions`, { title: 'x', expectedVersion: 1 })).statusCode).toBe(
      403,
    );
    await api.post(europol, `/proposals/${id}/withdrawal`);
    expect((await api.post(europol, `/proposals/${id}/revisions`, { title: 'x', expectedVersion: 2 })).statusCode).toBe(
      409,
    );
  });
});

describe('comments', () => {
  it('posts a threaded comment, and an observer may comment', async () => {
    const id = await api.submit(europol, 'strategic');
    const first = await api.post(unodc, `/proposals/${id}/comments`, { body: 'Question from UNODC' });
    expect(first.statusCode).toBe(201);
    const { commentId } = first.json();
    const reply = await api.post(europol, `/proposals/${id}/comments`, { body: 'Answer', replyTo: commentId });
    expect(reply.statusCode).toBe(201);
    const comments = (await api.get(afripol, `/proposals/${id}`)).json().comments;
    expect(comments).toEqual([
      { id: commentId, entityId: 'unodc', body: 'Question from UNODC', replyTo: null, at: expect.any(String) },
      { id: reply.json().commentId, entityId: 'europol', body: 'Answer', replyTo: commentId, at: expect.any(String) },
    ]);
  });

  it('refuses a replyTo that is not a comment of this proposal with 400', async () => {
    const id = await api.submit(europol, 'strategic');
    const other = await api.submit(europol, 'strategic');
    const { commentId } = (await api.post(afripol, `/proposals/${other}/comments`, { body: 'x' })).json();
    const res = await api.post(afripol, `/proposals/${id}/comments`, { body: 'y', replyTo: commentId });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]?.path).toBe('body.replyTo');
  });

  it('records one comment for a repeated Idempotency-Key and answers the same', async () => {
    const id = await api.submit(europol, 'strategic');
    const headers = { 'idempotency-key': 'comment-1' };
    const first = await api.post(afripol, `/proposals/${id}/comments`, { body: 'Once' }, headers);
    const again = await api.post(afripol, `/proposals/${id}/comments`, { body: 'Once' }, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await api.get(afripol, `/proposals/${id}`)).json().comments).toMatchObject([
      { entityId: 'afripol', body: 'Once' },
    ]);
    expect((await api.post(afripol, `/proposals/${id}/comments`, { body: 'Other' }, headers)).statusCode).toBe(422);
  });

  it("moves the view's version, time and count without rewriting the proposal's row, which the next other event settles", async () => {
    const id = await api.submit(europol, 'strategic');
    const row = () =>
      t.runtime.db.sqlite
        .prepare('SELECT version, updated_at, comment_count, endorsement_count FROM proposals WHERE id = ?')
        .get(id);
    const submitted = row();
    const seen = async () => {
      const view = await api.get(afripol, `/proposals/${id}`);
      const [summary] = (await api.get(afripol, '/groups/strategic/proposals')).json().items;
      return { etag: view.headers.etag, version: view.json().version, updatedAt: view.json().updatedAt, summary };
    };
    t.time.advance(60_000);
    await api.post(afripol, `/proposals/${id}/comments`, { body: 'First' });
    t.time.advance(60_000);
    const second = (await api.post(aimc, `/proposals/${id}/comments`, { body: 'Second' })).json();
    expect(row()).toEqual(submitted);
    const afterComments = await seen();
    expect(afterComments).toMatchObject({ etag: 'W/"3"', version: 3, updatedAt: t.runtime.clock().toISOString() });
    expect(afterComments.summary).toMatchObject({
      version: 3,
      lastActivityAt: t.runtime.clock().toISOString(),
      counts: { comments: 2 },
    });
    expect(second.version).toBe(3);
    // An endorsement moves the row: it counts the two comments before it.
    t.time.advance(60_000);
    await api.post(aimc, `/proposals/${id}/endorsements`);
    expect(row()).toEqual({
      version: 4,
      updated_at: t.runtime.clock().toISOString(),
      comment_count: 2,
      endorsement_count: 1,
    });
    t.time.advance(60_000);
    await api.post(afripol, `/proposals/${id}/comments`, { body: 'Third' });
    const last = await seen();
    expect(last).toMatchObject({ etag: 'W/"5"', version: 5, updatedAt: t.runtime.clock().toISOString() });
    expect(last.summary.counts).toEqual({ endorsements: 1, objections: 0, comments: 3 });
    // A write against the version the view shows is accepted.
    const revised = await api.post(
      europol,
      `/proposals/${id}/revisions`,
      { body: 'Revised' },
      { 'if-match': String(last.etag) },
    );
    expect(revised.statusCode).toBe(200);
  });
});

describe('endorsements and objections', () => {
  it('records the endorsed revision so an earlier endorsement shows as such', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, { note: 'Supportive' })).statusCode).toBe(201);
    await api.post(europol, `/proposals/${id}/revisions`, { body: 'Revised', expectedVersion: 2 });
    expect((await api.post(aimc, `/proposals/${id}/endorsements`)).statusCode).toBe(201);
    const view = (await api.get(europol, `/proposals/${id}`)).json();
    expect(view.endorsements.map((e: { entityId: string; revision: number }) => [e.entityId, e.revision])).toEqual([
      ['afripol', 1],
      ['aimc', 2],
    ]);
  });

  it('refuses an observer (403), the author entity (403) and a second endorsement (409)', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(unodc, `/proposals/${id}/endorsements`)).statusCode).toBe(403);
    expect((await api.post(europol, `/proposals/${id}/endorsements`)).statusCode).toBe(403);
    await api.post(afripol, `/proposals/${id}/endorsements`);
    expect((await api.post(afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(409);
  });

  it('withdraws an endorsement (200) and answers 409 to an entity that has none (an illegal transition, as endorsing twice)', async () => {
    const id = await api.submit(europol, 'strategic');
    await api.post(afripol, `/proposals/${id}/endorsements`);
    expect((await api.del(afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(200);
    const again = await api.del(afripol, `/proposals/${id}/endorsements`);
    expect(again.statusCode).toBe(409);
    expect(problem(again).detail).toBe('afripol has not endorsed this proposal');
    expect((await api.get(afripol, `/proposals/${id}`)).json().endorsements).toEqual([]);
  });

  it('needs a reason to object (400), records it, and withdraws it (200)', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(aimc, `/proposals/${id}/objections`, {})).statusCode).toBe(400);
    expect((await api.post(aimc, `/proposals/${id}/objections`, { reason: 'Legal basis unclear' })).statusCode).toBe(
      201,
    );
    expect((await api.post(aimc, `/proposals/${id}/objections`, { reason: 'Again' })).statusCode).toBe(409);
    expect((await api.get(afripol, `/proposals/${id}`)).json().objections).toEqual([
      { entityId: 'aimc', reason: 'Legal basis unclear', at: expect.any(String) },
    ]);
    expect((await api.del(aimc, `/proposals/${id}/objections`)).statusCode).toBe(200);
    expect((await api.del(aimc, `/proposals/${id}/objections`)).statusCode).toBe(409);
  });
});

describe('withdrawal and decision', () => {
  it('lets the author entity withdraw once (200, then 409) and nobody else (403)', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/withdrawal`, {})).statusCode).toBe(403);
    expect((await api.post(europol, `/proposals/${id}/withdrawal`, { reason: 'Merged elsewhere' })).statusCode).toBe(
      200,
    );
    expect((await api.post(europol, `/proposals/${id}/withdrawal`)).statusCode).toBe(409);
    expect((await api.get(europol, `/proposals/${id}`)).json().status).toBe('withdrawn');
  });

  it('lets only a chair entity decide (403 otherwise)', async () => {
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'n' })).statusCode).toBe(
      403,
    );
    expect(
      (await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'rejected', note: 'Not now' })).statusCode,
    ).toBe(200);
    const view = (await api.get(europol, `/proposals/${id}`)).json();
    expect(view).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', note: 'Not now', chairEntityId: 'interpol' },
    });
  });

  it('needs override and a note to adopt over open objections (409 otherwise), and refuses a second decision (409)', async () => {
    const id = await api.submit(europol, 'strategic');
    await api.post(aimc, `/proposals/${id}/objections`, { reason: 'Scope' });
    expect((await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'n' })).statusCode).toBe(
      409,
    );
    expect(
      (await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', override: true })).statusCode,
    ).toBe(400);
    const res = await api.post(interpol, `/proposals/${id}/decision`, {
      outcome: 'adopted',
      note: 'Broad support',
      override: true,
    });
    expect(res.statusCode).toBe(200);
    expect((await api.get(europol, `/proposals/${id}`)).json().decision.overriddenObjections).toEqual(['aimc']);
    expect((await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'rejected', note: 'n' })).statusCode).toBe(
      409,
    );
    expect((await api.post(afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(409);
  });
});
