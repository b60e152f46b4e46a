import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/deadlines/scheduler';
import { consultationDeadline } from '../../src/proposals/deadline';
import { createTestApp, type TestContext } from '../support/app';
import { expectViewsEqualRebuild } from '../support/views';
import { callers, client, problem } from './support';

let t: TestContext;
let api: ReturnType<typeof client>;
/** The callers' tokens. */
let as: Awaited<ReturnType<typeof callers>>;

/** The test clock starts at 2026-03-02T09:00:00.000Z. */
const inOneHour = '2026-03-02T10:00:00.000Z';
const HOUR = 3_600_000;

beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
  as = await callers(t);
});
afterEach(async () => t.close());

const head = () => t.runtime.store.reader.head().position;
const scheduler = () =>
  new Scheduler(t.runtime.commands, [consultationDeadline(t.runtime.proposals)], t.time.clock, 1000);
const reschedule = (token: string, id: string, body: Record<string, unknown>) =>
  api.post(token, `/proposals/${id}/closes-at`, { reason: 'More time for the members.', ...body });

describe('closesAt at submission', () => {
  it('keeps the deadline in UTC in the view and the list; the consultation is open', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: '2026-03-02T12:00:00+02:00' });
    const view = (await api.get(as.europol, `/proposals/${id}`)).json();
    expect(view).toMatchObject({ closesAt: inOneHour, consultationClosedAt: null });
    const list = (await api.get(as.europol, '/groups/strategic/proposals')).json();
    expect(list.items[0]).toMatchObject({ id, closesAt: inOneHour, consultationClosedAt: null });
  });

  it('leaves a proposal without a deadline when none is given', async () => {
    const id = await api.submit(as.europol, 'strategic');
    expect((await api.get(as.europol, `/proposals/${id}`)).json()).toMatchObject({ closesAt: null });
  });

  it.each([
    ['now', '2026-03-02T09:00:00.000Z'],
    ['in the past', '2026-03-01T09:00:00Z'],
    ['a day that does not exist', '2026-02-30T10:00:00Z'],
    ['a date without a time', '2026-03-10'],
    ['a time without an offset', '2026-03-10T10:00:00'],
  ])('refuses a closesAt %s with 400 on body.closesAt, recording nothing', async (_name, closesAt) => {
    const before = head();
    const res = await api.post(as.europol, '/groups/strategic/proposals', { title: 't', body: 'b', closesAt });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.map((error) => error.path)).toContain('body.closesAt');
    expect(head()).toBe(before);
  });
});

describe('endorsing and objecting after closesAt', () => {
  it('refuses both with 409 once closesAt has passed, before the scheduler fired, recording nothing', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    expect((await api.post(as.afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(201);
    t.time.advance(HOUR);
    const before = head();
    const endorsement = await api.post(as.aimc, `/proposals/${id}/endorsements`);
    expect(endorsement.statusCode).toBe(409);
    expect(problem(endorsement).detail).toBe(`the consultation closed at ${inOneHour}`);
    const objection = await api.post(as.aimc, `/proposals/${id}/objections`, { reason: 'Too broad.' });
    expect(objection.statusCode).toBe(409);
    expect(head()).toBe(before);
  });
});

describe('POST /proposals/:id/closes-at', () => {
  it('lets a chair move the deadline (200), shown in the view and the history with the previous one', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    const res = await reschedule(as.interpol, id, { closesAt: '2026-03-09T09:00:00Z', expectedVersion: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, position: expect.any(Number) });
    expect((await api.get(as.europol, `/proposals/${id}`)).json()).toMatchObject({
      closesAt: '2026-03-09T09:00:00.000Z',
      version: 2,
    });
    const history = (await api.get(as.europol, `/proposals/${id}/history`)).json();
    expect(history.events.at(-1)).toMatchObject({
      type: 'ConsultationRescheduled',
      data: { closesAt: '2026-03-09T09:00:00.000Z', previousClosesAt: inOneHour, reason: 'More time for the members.' },
    });
  });

  it('removes the deadline with null', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    expect((await reschedule(as.interpol, id, { closesAt: null })).statusCode).toBe(200);
    expect((await api.get(as.europol, `/proposals/${id}`)).json()).toMatchObject({ closesAt: null });
  });

  it('answers each caller as the rules say: only a chair of the group moves it', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    await api.del(as.secretariat, '/groups/strategic/participants/aimc');
    const body = { closesAt: '2026-03-09T09:00:00Z' };
    expect((await reschedule(as.europol, id, body)).statusCode).toBe(403);
    expect((await reschedule(as.afripol, id, body)).statusCode).toBe(403);
    expect((await reschedule(as.unodc, id, body)).statusCode).toBe(403);
    expect((await reschedule(as.aimc, id, body)).statusCode).toBe(404);
    expect((await reschedule(as.secretariat, id, body)).statusCode).toBe(403);
    expect((await reschedule(as.auditor, id, body)).statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/proposals/${id}/closes-at`, payload: body });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 404 for an unknown proposal and for a members-only one asked by an observer', async () => {
    expect((await reschedule(as.interpol, 'nope', { closesAt: null })).statusCode).toBe(404);
    const hidden = await api.submit(as.europol, 'strategic', { visibility: 'members' });
    expect((await reschedule(as.unodc, hidden, { closesAt: null })).statusCode).toBe(404);
  });

  it('refuses a deadline not after now, the current one, or none when there is none (400), recording nothing', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    const plain = await api.submit(as.europol, 'strategic');
    const before = head();
    const past = await reschedule(as.interpol, id, { closesAt: '2026-03-02T08:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(problem(past).errors?.[0]?.path).toBe('body.closesAt');
    const same = await reschedule(as.interpol, id, { closesAt: '2026-03-02T11:00:00+01:00' });
    expect(same.statusCode).toBe(400);
    expect(problem(same).detail).toMatch(/changes nothing/);
    expect((await reschedule(as.interpol, plain, { closesAt: null })).statusCode).toBe(400);
    expect(head()).toBe(before);
  });

  it('refuses a malformed body with 400: no reason, an unknown field, a date-time that does not exist', async () => {
    const id = await api.submit(as.europol, 'strategic');
    const url = `/proposals/${id}/closes-at`;
    expect((await api.post(as.interpol, url, { closesAt: null })).statusCode).toBe(400);
    expect((await reschedule(as.interpol, id, { closesAt: null, extra: 1 })).statusCode).toBe(400);
    expect((await reschedule(as.interpol, id, { closesAt: '2026-02-30T09:00:00Z' })).statusCode).toBe(400);
    expect((await reschedule(as.interpol, id, { closesAt: null, reason: '   ' })).statusCode).toBe(400);
  });

  it('refuses a proposal no longer open (409) and a stale expectedVersion (409)', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    expect((await reschedule(as.interpol, id, { closesAt: null, expectedVersion: 0 })).statusCode).toBe(409);
    await api.post(as.interpol, `/proposals/${id}/decision`, { outcome: 'rejected', note: 'No.' });
    const res = await reschedule(as.interpol, id, { closesAt: null });
    expect(res.statusCode).toBe(409);
    expect(problem(res).detail).toMatch(/rejected/);
  });
});

describe('the consultation deadline, fired by the scheduler', () => {
  it('closes the consultation once, at its time, stamped with when it was due and when it fired', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    const run = scheduler();
    expect(await run.runDue()).toEqual([]);
    t.time.advance(HOUR + 250);
    const fired = await run.runDue();
    expect(fired).toEqual([
      expect.objectContaining({ kind: 'consultation', streamId: `proposal-${id}`, dueAt: inOneHour }),
    ]);
    const firedAt = '2026-03-02T10:00:00.250Z';
    expect(fired[0]?.firedAt).toBe(firedAt);
    expect(await run.runDue()).toEqual([]);
    expect(await scheduler().runDue()).toEqual([]);
    expect((await api.get(as.afripol, `/proposals/${id}`)).json()).toMatchObject({
      closesAt: inOneHour,
      consultationClosedAt: firedAt,
      version: 2,
    });
    const history = (await api.get(as.afripol, `/proposals/${id}/history`)).json();
    expect(history.events.at(-1)).toMatchObject({
      type: 'ConsultationClosed',
      data: { dueAt: inOneHour, firedAt },
      actor: { person: 'scheduler' },
    });
    expectViewsEqualRebuild(t.runtime);
  });

  it('fires a moved deadline at its new time, and nothing at the old one', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    await reschedule(as.interpol, id, { closesAt: '2026-03-02T12:00:00Z' });
    const run = scheduler();
    t.time.advance(HOUR);
    expect(await run.runDue()).toEqual([]);
    t.time.set('2026-03-02T12:00:00.000Z');
    expect((await run.runDue()).map((firing) => firing.dueAt)).toEqual(['2026-03-02T12:00:00.000Z']);
  });

  it('fires nothing for a removed deadline or a decided proposal', async () => {
    const removed = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    await reschedule(as.interpol, removed, { closesAt: null });
    const decided = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    await api.post(as.interpol, `/proposals/${decided}/decision`, { outcome: 'adopted', note: 'Agreed.' });
    t.time.advance(2 * HOUR);
    expect(await scheduler().runDue()).toEqual([]);
  });

  it('reopens the consultation when a chair moves the deadline into the future, then closes it again', async () => {
    const id = await api.submit(as.europol, 'strategic', { closesAt: inOneHour });
    const run = scheduler();
    t.time.advance(HOUR);
    await run.runDue();
    expect((await reschedule(as.interpol, id, { closesAt: '2026-03-03T09:00:00Z' })).statusCode).toBe(200);
    expect((await api.get(as.europol, `/proposals/${id}`)).json()).toMatchObject({ consultationClosedAt: null });
    expect((await api.post(as.afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(201);
    t.time.set('2026-03-03T09:00:00.000Z');
    expect(await run.runDue()).toHaveLength(1);
    expect((await api.post(as.aimc, `/proposals/${id}/endorsements`)).statusCode).toBe(409);
    expectViewsEqualRebuild(t.runtime);
  });
});
