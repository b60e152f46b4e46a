import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEditions, decided, type EditionsContext, schedule } from './support';

let c: EditionsContext;

beforeEach(async () => {
  c = await createEditions('2025-01-10T09:00:00.000Z');
});
afterEach(async () => c.t.close());

async function openItem(title: string, dueDate: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await c.api.post(c.chair, '/groups/strategic/action-items', {
    title,
    ownerEntityId: 'afripol',
    dueDate,
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id;
}

/**
 * Two editions: 2025-03-10..12 and 2026-03-10..11. The second's period runs from 2025-03-13 to 2026-03-11;
 * things happen before, inside and after it.
 */
async function year() {
  const first = await schedule(c, { number: 1, startsOn: '2025-03-10', endsOn: '2025-03-12' });
  const second = await schedule(c, { number: 2, startsOn: '2026-03-10', endsOn: '2026-03-11' });
  const before = await decided(c, 'strategic', 'adopted', { title: 'Before' });
  const carriedLate = await openItem('Carried, late', '2025-06-01');
  const carriedOnTime = await openItem('Carried, on time', '2026-12-01');
  const carriedDone = await openItem('Carried, done', '2025-06-01');
  await c.api.post(c.chair, `/action-items/${carriedDone}/completion`, {});
  c.t.time.set('2025-03-12T23:59:59.999Z');
  const lastMoment = await decided(c, 'strategic', 'rejected', { title: 'Last moment of the first edition' });
  c.t.time.set('2025-03-13T00:00:00.000Z');
  const adopted = await decided(c, 'operational', 'adopted', { title: 'Adopted in the year' });
  const hidden = await decided(c, 'strategic', 'adopted', { title: 'Members only', visibility: 'members' });
  const rejected = await decided(c, 'strategic', 'rejected', { title: 'Rejected in the year' });
  await c.api.submit(c.member, 'strategic', { title: 'Still open' });
  const opened = await openItem('Opened in the year', '2025-09-01');
  const hiddenItem = await openItem('Implements the members-only one', '2026-09-01', { proposalId: hidden });
  c.t.time.set('2026-03-12T00:00:00.000Z');
  const after = await decided(c, 'strategic', 'adopted', { title: 'After' });
  c.t.time.set('2026-04-01T09:00:00.000Z');
  return {
    first,
    second,
    before,
    lastMoment,
    adopted,
    hidden,
    rejected,
    opened,
    hiddenItem,
    after,
    carried: { carriedLate, carriedOnTime },
  };
}

describe('GET /editions/:id/report', () => {
  it('lists what was decided and opened in the period, and the open items carried over, overdue first', async () => {
    const y = await year();
    const res = await c.api.get(c.member, `/editions/${y.second}/report`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      editionId: y.second,
      number: 2,
      previousEditionId: y.first,
      period: { from: '2025-03-13', to: '2026-03-11' },
      today: '2026-04-01',
    });
    expect(report.proposals.adopted.map((p: { id: string }) => p.id)).toEqual([y.adopted, y.hidden]);
    expect(report.proposals.adopted[0]).toEqual({
      id: y.adopted,
      groupId: 'operational',
      visibility: 'dialogue',
      title: 'Adopted in the year',
      decision: {
        outcome: 'adopted',
        note: 'adopted by the group',
        chairEntityId: 'interpol',
        decidedAt: '2025-03-13T00:00:00.000Z',
      },
    });
    expect(report.proposals.rejected.map((p: { id: string }) => p.id)).toEqual([y.rejected]);
    expect(report.actionItems.opened.map((i: { id: string }) => i.id)).toEqual([y.opened, y.hiddenItem]);
    expect(report.actionItems.opened[0]).toMatchObject({ status: 'open', overdue: true, dueDate: '2025-09-01' });
    expect(report.actionItems.carriedOver.map((i: { id: string; overdue: boolean }) => [i.id, i.overdue])).toEqual([
      [y.carried.carriedLate, true],
      [y.carried.carriedOnTime, false],
    ]);
  });

  it('starts the first edition from the beginning, and carries nothing over', async () => {
    const y = await year();
    const report = (await c.api.get(c.member, `/editions/${y.first}/report`)).json();
    expect(report.previousEditionId).toBeNull();
    expect(report.period).toEqual({ from: null, to: '2025-03-12' });
    expect(report.proposals.adopted.map((p: { id: string }) => p.id)).toEqual([y.before]);
    expect(report.proposals.rejected.map((p: { id: string }) => p.id)).toEqual([y.lastMoment]);
    expect(report.actionItems.opened).toHaveLength(3);
    expect(report.actionItems.carriedOver).toEqual([]);
  });

  it('shows an observer neither members-only proposals nor the items that implement them', async () => {
    const y = await year();
    const report = (await c.api.get(c.observer, `/editions/${y.second}/report`)).json();
    expect(report.proposals.adopted.map((p: { id: string }) => p.id)).toEqual([y.adopted]);
    expect(report.actionItems.opened.map((i: { id: string }) => i.id)).toEqual([y.opened]);
    const markdown = (await c.api.get(c.observer, `/editions/${y.second}/report.md`)).body;
    expect(markdown).not.toContain('Members only');
    expect(markdown).not.toContain('Implements the members');
  });

  it('shows a delegate only the groups its entity takes part in', async () => {
    const y = await year();
    const afripol = await c.t.token('delegate', 'afripol');
    await c.api.del(c.secretariat, '/groups/operational/participants/afripol');
    const report = (await c.api.get(afripol, `/editions/${y.second}/report`)).json();
    expect(report.proposals.adopted.map((p: { id: string }) => p.id)).toEqual([y.hidden]);
  });

  it('answers 404 for an unknown edition, as JSON and as Markdown', async () => {
    expect((await c.api.get(c.member, '/editions/nothing/report')).statusCode).toBe(404);
    expect((await c.api.get(c.member, '/editions/nothing/report.md')).statusCode).toBe(404);
  });
});

describe('GET /editions/:id/report.md', () => {
  it('gives the report as Markdown, with typed text escaped', async () => {
    const id = await schedule(c, {
      number: 1,
      title: 'First *Dialogue*',
      startsOn: '2025-03-10',
      endsOn: '2025-03-12',
    });
    await decided(c, 'strategic', 'adopted', { title: 'Share [data] | fast' });
    await openItem('Draft the <MoU>', '2025-01-05');
    const res = await c.api.get(c.member, `/editions/${id}/report.md`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.body).toContain('# Report of edition 1: First \\*Dialogue\\*');
    expect(res.body).toContain('Period: the beginning to 2025-03-12. Statuses as of 2025-01-10.');
    expect(res.body).toContain('## Proposals adopted (1)');
    expect(res.body).toContain('- **Share \\[data\\] \\| fast** (strategic,');
    expect(res.body).toContain('## Proposals rejected (0)\n\nNone.');
    expect(res.body).toContain('| Draft the \\<MoU\\> | strategic | afripol | 2025-01-05 | overdue |');
  });
});
