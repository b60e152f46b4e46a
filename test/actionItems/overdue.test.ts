import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overdueDeadline } from '../../src/actionItems/deadline';
import { Scheduler } from '../../src/deadlines/scheduler';
import { createTestApp, type TestContext } from '../support/app';
import { expectViewsEqualRebuild } from '../support/views';
import { client } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
let chair: string;
let afripol: string;
let secretariat: string;

beforeEach(async () => {
  t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
  api = client(t);
  [chair, afripol, secretariat] = await Promise.all([
    t.token('delegate', 'interpol'),
    t.token('delegate', 'afripol'),
    t.token('secretariat'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
});
afterEach(async () => t.close());

async function open(dueDate: string): Promise<string> {
  const res = await api.post(chair, '/groups/strategic/action-items', {
    title: 'Draft the MoU',
    ownerEntityId: 'afripol',
    dueDate,
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().id;
}

const scheduler = () => new Scheduler(t.runtime.commands, [overdueDeadline(t.runtime.actionItems)], t.time.clock, 1000);
const steps = async (id: string) =>
  ((await api.get(afripol, `/action-items/${id}`)).json().history as Array<{ type: string }>).map((step) => step.type);

describe('an action item becoming overdue, fired by the scheduler', () => {
  it('fires at 00:00 UTC of the day after its due date, once, as a step of its history', async () => {
    const id = await open('2026-03-05');
    const run = scheduler();
    t.time.set('2026-03-05T23:59:59.999Z');
    expect(await run.runDue()).toEqual([]);
    t.time.set('2026-03-06T00:00:00.500Z');
    expect(await run.runDue()).toEqual([
      expect.objectContaining({
        kind: 'overdue',
        streamId: `action-item-${id}`,
        dueAt: '2026-03-06T00:00:00.000Z',
        firedAt: '2026-03-06T00:00:00.500Z',
      }),
    ]);
    expect(await run.runDue()).toEqual([]);
    expect(await scheduler().runDue()).toEqual([]);
    const view = (await api.get(afripol, `/action-items/${id}`)).json();
    expect(view).toMatchObject({ overdue: true, version: 2 });
    expect(view.history.at(-1)).toMatchObject({
      type: 'ActionItemBecameOverdue',
      person: 'scheduler',
      detail: { dueDate: '2026-03-05', dueAt: '2026-03-06T00:00:00.000Z', firedAt: '2026-03-06T00:00:00.500Z' },
    });
    expectViewsEqualRebuild(t.runtime);
  });

  it('fires a moved due date at its new time, and nothing at the old one', async () => {
    const id = await open('2026-03-05');
    await api.post(chair, `/action-items/${id}/due-date`, { dueDate: '2026-03-10', reason: 'Waiting for input.' });
    const run = scheduler();
    t.time.set('2026-03-07T00:00:00.000Z');
    expect(await run.runDue()).toEqual([]);
    t.time.set('2026-03-11T00:00:00.000Z');
    expect((await run.runDue()).map((firing) => firing.dueAt)).toEqual(['2026-03-11T00:00:00.000Z']);
  });

  it('fires again for a new due date once the first fired, not for an item reopened after it fired', async () => {
    const moved = await open('2026-03-05');
    const reopened = await open('2026-03-05');
    const run = scheduler();
    t.time.set('2026-03-06T00:00:00.000Z');
    expect(await run.runDue()).toHaveLength(2);
    await api.post(chair, `/action-items/${moved}/due-date`, { dueDate: '2026-03-08', reason: 'More time.' });
    await api.post(afripol, `/action-items/${reopened}/completion`, {});
    await api.post(chair, `/action-items/${reopened}/reopening`, { reason: 'Not finished.' });
    t.time.set('2026-03-09T00:00:00.000Z');
    expect((await run.runDue()).map((firing) => firing.streamId)).toEqual([`action-item-${moved}`]);
    expect(await steps(reopened)).toEqual([
      'ActionItemOpened',
      'ActionItemBecameOverdue',
      'ActionItemCompleted',
      'ActionItemReopened',
    ]);
    expectViewsEqualRebuild(t.runtime);
  });

  it('fires nothing for an item completed or cancelled before its date passed', async () => {
    const completed = await open('2026-03-05');
    const cancelled = await open('2026-03-05');
    await api.post(afripol, `/action-items/${completed}/completion`, {});
    await api.post(chair, `/action-items/${cancelled}/cancellation`, { reason: 'Superseded.' });
    t.time.set('2026-03-20T00:00:00.000Z');
    expect(await scheduler().runDue()).toEqual([]);
  });
});
