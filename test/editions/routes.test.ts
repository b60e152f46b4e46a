import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editionStream } from '../../src/editions/events';
import { problem } from '../proposals/support';
import { expectViewsEqualRebuild } from '../support/views';
import { createEditions, decided, type EditionsContext, schedule } from './support';

let c: EditionsContext;

beforeEach(async () => {
  c = await createEditions();
});
afterEach(async () => c.t.close());

const body = (extra: Record<string, unknown> = {}) => ({
  number: 6,
  title: 'Sixth Global Dialogue',
  startsOn: '2026-05-12',
  endsOn: '2026-05-14',
  venue: 'Lyon',
  ...extra,
});

/** The edition's stream version: a refusal records nothing. */
const version = (id: string) => c.t.runtime.store.version(editionStream(id));

describe('POST /editions', () => {
  it('schedules an edition (201, Location) that every token reads', async () => {
    const res = await c.api.post(c.secretariat, '/editions', body({ hostEntityId: 'interpol' }));
    expect(res.statusCode).toBe(201);
    const { id } = res.json();
    expect(res.headers.location).toBe(`/editions/${id}`);
    expect(res.json()).toMatchObject({ version: 1, position: expect.any(Number), receipt: expect.any(Object) });
    const view = await c.api.get(c.observer, `/editions/${id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      id,
      number: 6,
      title: 'Sixth Global Dialogue',
      startsOn: '2026-05-12',
      endsOn: '2026-05-14',
      venue: 'Lyon',
      hostEntityId: 'interpol',
      agenda: [],
      attendance: [],
      quorum: { membersPresent: 0, membersTotal: 9 },
      declaration: null,
      version: 1,
    });
  });

  it.each([
    ['a delegate', 'member'],
    ['a chair', 'chair'],
    ['an auditor', 'auditor'],
  ] as const)('refuses %s (403)', async (_, who) => {
    const res = await c.api.post(c[who], '/editions', body());
    expect(res.statusCode).toBe(403);
    expect((await c.api.get(c.secretariat, '/editions')).json().items).toEqual([]);
  });

  it('refuses a number already taken (409)', async () => {
    const first = await schedule(c);
    const res = await c.api.post(c.secretariat, '/editions', body({ startsOn: '2027-05-12', endsOn: '2027-05-12' }));
    expect(res.statusCode).toBe(409);
    expect(problem(res).detail).toContain(first);
    expect((await c.api.get(c.secretariat, '/editions')).json().items).toHaveLength(1);
  });

  it('refuses two editions with one number sent at once: one is scheduled, the other is a 409', async () => {
    const [a, b] = await Promise.all([
      c.api.post(c.secretariat, '/editions', body()),
      c.api.post(c.secretariat, '/editions', body({ title: 'Twin' })),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect((await c.api.get(c.secretariat, '/editions')).json().items).toHaveLength(1);
  });

  it.each([
    ['a date that does not exist', { startsOn: '2026-02-30' }, 'body.startsOn'],
    ['a date that is not YYYY-MM-DD', { endsOn: '14/05/2026' }, 'body.endsOn'],
    ['an end before the start', { endsOn: '2026-05-11' }, 'body.endsOn'],
    ['an unknown host entity', { hostEntityId: 'nowhere' }, 'body.hostEntityId'],
    ['a number below 1', { number: 0 }, 'body.number'],
    ['a number that is not an integer', { number: 1.5 }, 'body.number'],
    ['a blank title', { title: '  ' }, 'body.title'],
    ['an unknown field', { colour: 'blue' }, 'body.colour'],
  ])('refuses %s (400) and records nothing', async (_, extra, path) => {
    const res = await c.api.post(c.secretariat, '/editions', body(extra));
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.map((error) => error.path)).toContain(path);
    expect((await c.api.get(c.secretariat, '/editions')).json().items).toEqual([]);
  });

  it('accepts a one-day edition', async () => {
    const res = await c.api.post(c.secretariat, '/editions', body({ endsOn: '2026-05-12' }));
    expect(res.statusCode).toBe(201);
  });
});

describe('GET /editions', () => {
  it('lists editions newest first: by start date, then number', async () => {
    await schedule(c, { number: 1, startsOn: '2016-06-01', endsOn: '2016-06-02' });
    await schedule(c, { number: 3, startsOn: '2019-06-01', endsOn: '2019-06-02' });
    await schedule(c, { number: 2, startsOn: '2017-06-01', endsOn: '2017-06-02' });
    await schedule(c, { number: 4, startsOn: '2019-06-01', endsOn: '2019-06-02' });
    const res = await c.api.get(c.observer, '/editions');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((edition: { number: number }) => edition.number)).toEqual([4, 3, 2, 1]);
  });

  it('refuses a request without a token (401)', async () => {
    const res = await c.t.app.inject({ method: 'GET', url: '/editions' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /editions/:id', () => {
  it('answers 404 for an unknown edition', async () => {
    const res = await c.api.get(c.member, '/editions/nothing');
    expect(res.statusCode).toBe(404);
  });

  it('answers 304 to the current ETag, and 200 once a proposal on the agenda changed', async () => {
    const id = await schedule(c);
    const proposal = await c.api.submit(c.member, 'strategic');
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    const first = await c.api.get(c.member, `/editions/${id}`);
    expect(first.headers.etag).toBe('W/"2"');
    const again = await c.api.get(c.member, `/editions/${id}`, { 'if-none-match': 'W/"2"' });
    expect(again.statusCode).toBe(304);
    c.t.time.advance(1000);
    await c.api.post(c.chair, `/proposals/${proposal}/decision`, { outcome: 'adopted', note: 'Agreed' });
    const after = await c.api.get(c.member, `/editions/${id}`, { 'if-none-match': 'W/"2"' });
    expect(after.statusCode).toBe(200);
    expect(after.json().agenda[0].status).toBe('adopted');
  });

  it('never answers 304 to a caller from whom the agenda hides a proposal (its changes must not show)', async () => {
    const id = await schedule(c);
    const hidden = await c.api.submit(c.member, 'strategic', { visibility: 'members' });
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: hidden });
    const tag = (await c.api.get(c.observer, `/editions/${id}`)).headers.etag as string;
    const again = await c.api.get(c.observer, `/editions/${id}`, { 'if-none-match': tag });
    expect(again.statusCode).toBe(200);
    expect(again.json().agenda).toEqual([]);
    expect((await c.api.get(c.member, `/editions/${id}`, { 'if-none-match': tag })).statusCode).toBe(304);
  });
});

describe('the agenda', () => {
  it('adds proposals of both groups in order, each with its title, group and status, and removes one', async () => {
    const id = await schedule(c);
    const strategic = await c.api.submit(c.member, 'strategic', { title: 'Strategic one' });
    const operational = await decided(c, 'operational', 'adopted', { title: 'Operational one' });
    const added = await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: strategic });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ version: 2 });
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: operational, expectedVersion: 2 });
    expect((await c.api.get(c.member, `/editions/${id}`)).json().agenda).toEqual([
      { proposalId: strategic, groupId: 'strategic', visibility: 'dialogue', title: 'Strategic one', status: 'open' },
      {
        proposalId: operational,
        groupId: 'operational',
        visibility: 'dialogue',
        title: 'Operational one',
        status: 'adopted',
      },
    ]);
    const removed = await c.api.del(c.secretariat, `/editions/${id}/agenda/${strategic}`);
    expect(removed.statusCode).toBe(200);
    expect(
      (await c.api.get(c.member, `/editions/${id}`)).json().agenda.map((a: { proposalId: string }) => a.proposalId),
    ).toEqual([operational]);
  });

  it('shows a members-only proposal to members and the secretariat, never to an observer', async () => {
    const id = await schedule(c);
    const hidden = await c.api.submit(c.member, 'strategic', { visibility: 'members' });
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: hidden });
    expect((await c.api.get(c.member, `/editions/${id}`)).json().agenda).toHaveLength(1);
    expect((await c.api.get(c.auditor, `/editions/${id}`)).json().agenda).toHaveLength(1);
    expect((await c.api.get(c.observer, `/editions/${id}`)).json().agenda).toEqual([]);
  });

  it('hides a proposal from a delegate whose entity left its group', async () => {
    const id = await schedule(c);
    const proposal = await c.api.submit(c.member, 'operational');
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    const afripol = await c.t.token('delegate', 'afripol');
    await c.api.del(c.secretariat, '/groups/operational/participants/afripol');
    expect((await c.api.get(afripol, `/editions/${id}`)).json().agenda).toEqual([]);
  });

  it('refuses an unknown proposal (404), and one already on the agenda (409)', async () => {
    const id = await schedule(c);
    const unknown = await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: 'nothing' });
    expect(unknown.statusCode).toBe(404);
    const proposal = await c.api.submit(c.member, 'strategic');
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    const twice = await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    expect(twice.statusCode).toBe(409);
    expect(version(id)).toBe(2);
  });

  it('refuses to remove a proposal that is not on the agenda (404)', async () => {
    const id = await schedule(c);
    const res = await c.api.del(c.secretariat, `/editions/${id}/agenda/nothing`);
    expect(res.statusCode).toBe(404);
  });

  it('refuses an unknown edition (404)', async () => {
    const proposal = await c.api.submit(c.member, 'strategic');
    expect((await c.api.post(c.secretariat, '/editions/nothing/agenda', { proposalId: proposal })).statusCode).toBe(
      404,
    );
    expect((await c.api.del(c.secretariat, `/editions/nothing/agenda/${proposal}`)).statusCode).toBe(404);
  });

  it('refuses every caller but the secretariat (403)', async () => {
    const id = await schedule(c);
    const proposal = await c.api.submit(c.member, 'strategic');
    for (const token of [c.member, c.chair, c.observer, c.auditor]) {
      expect((await c.api.post(token, `/editions/${id}/agenda`, { proposalId: proposal })).statusCode).toBe(403);
      expect((await c.api.del(token, `/editions/${id}/agenda/${proposal}`)).statusCode).toBe(403);
    }
    expect(version(id)).toBe(1);
  });

  it('refuses a stale expectedVersion (409) and a stale If-Match (412)', async () => {
    const id = await schedule(c);
    const proposal = await c.api.submit(c.member, 'strategic');
    const stale = await c.api.post(c.secretariat, `/editions/${id}/agenda`, {
      proposalId: proposal,
      expectedVersion: 0,
    });
    expect(stale.statusCode).toBe(409);
    const header = await c.api.post(
      c.secretariat,
      `/editions/${id}/agenda`,
      { proposalId: proposal },
      { 'if-match': 'W/"5"' },
    );
    expect(header.statusCode).toBe(412);
    expect(version(id)).toBe(1);
  });
});

describe('attendance', () => {
  it('records entities with their delegates, counts members only for the quorum, and withdraws one', async () => {
    const id = await schedule(c);
    const europol = await c.api.post(c.secretariat, `/editions/${id}/attendance`, {
      entityId: 'europol',
      delegates: ['Ana', 'Ben'],
    });
    expect(europol.statusCode).toBe(201);
    await c.api.post(c.secretariat, `/editions/${id}/attendance`, { entityId: 'unodc', delegates: ['Chen'] });
    await c.api.post(c.secretariat, `/editions/${id}/attendance`, { entityId: 'afripol', delegates: ['Dia'] });
    const view = (await c.api.get(c.observer, `/editions/${id}`)).json();
    expect(view.attendance).toEqual([
      { entityId: 'afripol', entityKind: 'member', delegates: ['Dia'] },
      { entityId: 'europol', entityKind: 'member', delegates: ['Ana', 'Ben'] },
      { entityId: 'unodc', entityKind: 'observer', delegates: ['Chen'] },
    ]);
    expect(view.quorum).toEqual({ membersPresent: 2, membersTotal: 9 });
    const replaced = await c.api.post(c.secretariat, `/editions/${id}/attendance`, {
      entityId: 'europol',
      delegates: ['Eva'],
    });
    expect(replaced.statusCode).toBe(201);
    expect((await c.api.del(c.secretariat, `/editions/${id}/attendance/afripol`)).statusCode).toBe(200);
    const after = (await c.api.get(c.observer, `/editions/${id}`)).json();
    expect(after.attendance.map((a: { entityId: string }) => a.entityId)).toEqual(['europol', 'unodc']);
    expect(after.attendance[0].delegates).toEqual(['Eva']);
    expect(after.quorum).toEqual({ membersPresent: 1, membersTotal: 9 });
  });

  it.each([
    ['an unknown entity', { entityId: 'nowhere', delegates: ['Ana'] }, 'body.entityId'],
    ['no delegate', { entityId: 'europol', delegates: [] }, 'body.delegates'],
    [
      '51 delegates',
      { entityId: 'europol', delegates: Array.from({ length: 51 }, (_, i) => `D${i}`) },
      'body.delegates',
    ],
    ['a delegate named twice', { entityId: 'europol', delegates: ['Ana', 'Ana'] }, 'body.delegates'],
    ['a blank delegate name', { entityId: 'europol', delegates: [' '] }, 'body.delegates.0'],
  ])('refuses %s (400) and records nothing', async (_, payload, path) => {
    const id = await schedule(c);
    const res = await c.api.post(c.secretariat, `/editions/${id}/attendance`, payload);
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.map((error) => error.path)).toContain(path);
    expect(version(id)).toBe(1);
  });

  it('refuses recording the same delegates again (409)', async () => {
    const id = await schedule(c);
    await c.api.post(c.secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['Ana'] });
    const res = await c.api.post(c.secretariat, `/editions/${id}/attendance`, {
      entityId: 'europol',
      delegates: ['Ana'],
    });
    expect(res.statusCode).toBe(409);
  });

  it('refuses to withdraw an entity that is not attending (404), and an unknown edition (404)', async () => {
    const id = await schedule(c);
    expect((await c.api.del(c.secretariat, `/editions/${id}/attendance/europol`)).statusCode).toBe(404);
    const unknown = await c.api.post(c.secretariat, '/editions/nothing/attendance', {
      entityId: 'europol',
      delegates: ['Ana'],
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses every caller but the secretariat (403)', async () => {
    const id = await schedule(c);
    await c.api.post(c.secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['Ana'] });
    for (const token of [c.member, c.chair, c.observer, c.auditor]) {
      const payload = { entityId: 'afripol', delegates: ['Dia'] };
      expect((await c.api.post(token, `/editions/${id}/attendance`, payload)).statusCode).toBe(403);
      expect((await c.api.del(token, `/editions/${id}/attendance/europol`)).statusCode).toBe(403);
    }
    expect(version(id)).toBe(2);
  });
});

describe('a closed record', () => {
  it('refuses agenda and attendance changes once the declaration is adopted (409)', async () => {
    const id = await schedule(c);
    const proposal = await decided(c, 'strategic', 'adopted');
    await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    await c.api.post(c.secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['Ana'] });
    // The declaration's routes are another slice's: its events are appended through the store here.
    const metadata = { actor: { entityId: null, person: 'test', role: 'secretariat' as const }, requestId: 'test' };
    const data = { editionId: id };
    await c.t.runtime.store.append({
      streamId: editionStream(id),
      expectedVersion: 3,
      events: [
        {
          type: 'DeclarationDrafted',
          data: { ...data, revision: 1, paragraphs: [{ text: 'We agree.', sourceProposalId: proposal }] },
        },
        { type: 'SilenceProcedureOpened', data: { ...data, revision: 1, until: '2026-03-03T09:00:00.000Z' } },
        {
          type: 'SilenceProcedureEnded',
          data: {
            ...data,
            outcome: 'adopted',
            revision: 1,
            dueAt: '2026-03-03T09:00:00.000Z',
            firedAt: '2026-03-03T09:00:00.500Z',
            adoptedBy: ['europol'],
            textHash: 'hash',
            signature: 'signature',
          },
        },
      ],
      metadata,
    });
    const view = (await c.api.get(c.member, `/editions/${id}`)).json();
    expect(view.declaration).toEqual({ status: 'adopted', revision: 1 });
    expect(view.version).toBe(6);
    const other = await decided(c, 'strategic', 'adopted');
    expect((await c.api.post(c.secretariat, `/editions/${id}/agenda`, { proposalId: other })).statusCode).toBe(409);
    expect((await c.api.del(c.secretariat, `/editions/${id}/agenda/${proposal}`)).statusCode).toBe(409);
    const attend = { entityId: 'afripol', delegates: ['Dia'] };
    expect((await c.api.post(c.secretariat, `/editions/${id}/attendance`, attend)).statusCode).toBe(409);
    expect((await c.api.del(c.secretariat, `/editions/${id}/attendance/europol`)).statusCode).toBe(409);
    expect(version(id)).toBe(6);
    expectViewsEqualRebuild(c.t.runtime);
  });
});
