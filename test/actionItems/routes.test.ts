import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionItemStream } from '../../src/actionItems/events';
import { newId } from '../../src/eventStore/eventId';
import { createTestApp, type TestContext } from '../support/app';
import { client, problem } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
let chair: string;
let afripol: string;
let aimc: string;
let europol: string;
let secretariat: string;

beforeEach(async () => {
  t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
  api = client(t);
  [chair, afripol, aimc, europol, secretariat] = await Promise.all([
    t.token('delegate', 'interpol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'aimc'),
    t.token('delegate', 'europol'),
    t.token('secretariat'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
});
afterEach(async () => t.close());

async function open(body: Record<string, unknown> = {}, groupId = 'strategic'): Promise<string> {
  const res = await api.post(chair, `/groups/${groupId}/action-items`, {
    title: 'Draft the MoU',
    ownerEntityId: 'afripol',
    dueDate: '2026-03-10',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().id;
}

async function adopted(groupId = 'strategic'): Promise<string> {
  const id = await api.submit(europol, groupId);
  const res = await api.post(chair, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'Agreed' });
  if (res.statusCode !== 200) throw new Error(res.body);
  return id;
}

describe('POST /groups/:groupId/action-items', () => {
  it('opens an item (201 with id and position) and shows it on the proposal it implements', async () => {
    const proposalId = await adopted();
    const res = await api.post(chair, '/groups/strategic/action-items', {
      title: 'Draft the MoU',
      ownerEntityId: 'afripol',
      dueDate: '2026-03-10',
      proposalId,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.any(String),
      position: expect.any(Number),
      receipt: expect.any(Object),
    });
    const view = (await api.get(afripol, `/action-items/${res.json().id}`)).json();
    expect(view).toMatchObject({
      groupId: 'strategic',
      title: 'Draft the MoU',
      ownerEntityId: 'afripol',
      dueDate: '2026-03-10',
      proposalId,
      status: 'open',
      percent: 0,
      overdue: false,
    });
    expect(view.history).toEqual([
      expect.objectContaining({ type: 'ActionItemOpened', entityId: 'interpol', role: 'delegate' }),
    ]);
    expect((await api.get(afripol, `/proposals/${proposalId}`)).json().actionItems).toEqual([
      { id: res.json().id, title: 'Draft the MoU', status: 'open' },
    ]);
  });

  it('refuses a non-chair (403), an observer owner (409), a proposal not adopted (409) and one of another group (404)', async () => {
    expect(
      (
        await api.post(afripol, '/groups/strategic/action-items', {
          title: 't',
          ownerEntityId: 'afripol',
          dueDate: '2026-03-10',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api.post(chair, '/groups/strategic/action-items', {
          title: 't',
          ownerEntityId: 'unodc',
          dueDate: '2026-03-10',
        })
      ).statusCode,
    ).toBe(409);
    const openProposal = await api.submit(europol, 'strategic');
    expect(
      (
        await api.post(chair, '/groups/strategic/action-items', {
          title: 't',
          ownerEntityId: 'afripol',
          dueDate: '2026-03-10',
          proposalId: openProposal,
        })
      ).statusCode,
    ).toBe(409);
    await api.post(secretariat, '/groups/operational/chairs', { entityId: 'interpol' });
    const elsewhere = await adopted('operational');
    expect(
      (
        await api.post(chair, '/groups/strategic/action-items', {
          title: 't',
          ownerEntityId: 'afripol',
          dueDate: '2026-03-10',
          proposalId: elsewhere,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('refuses an impossible date, an unknown owner and unknown fields with 400', async () => {
    const refusals: Array<[Record<string, string>, Array<{ path: string; message: string }>]> = [
      [{ dueDate: '2026-02-30' }, [{ path: 'body.dueDate', message: 'must be a real calendar date' }]],
      [
        { dueDate: '10/03/2026' },
        [
          { path: 'body.dueDate', message: 'must be a date YYYY-MM-DD' },
          { path: 'body.dueDate', message: 'must be a real calendar date' },
        ],
      ],
      [{ ownerEntityId: 'nobody' }, [{ path: 'body.ownerEntityId', message: "no entity 'nobody'" }]],
      [{ status: 'done' }, [{ path: 'body.status', message: 'unknown field' }]],
    ];
    for (const [body, errors] of refusals) {
      const res = await api.post(chair, '/groups/strategic/action-items', {
        title: 't',
        ownerEntityId: 'afripol',
        dueDate: '2026-03-10',
        ...body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problem(res).errors, JSON.stringify(body)).toEqual(errors);
    }
  });

  it('answers 404 for an unknown group and an unknown proposal', async () => {
    expect(
      (
        await api.post(chair, '/groups/tactical/action-items', {
          title: 't',
          ownerEntityId: 'afripol',
          dueDate: '2026-03-10',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await api.post(chair, '/groups/strategic/action-items', {
          title: 't',
          ownerEntityId: 'afripol',
          dueDate: '2026-03-10',
          proposalId: 'nope',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('transitions', () => {
  it('records progress by the owner, completion, reopening and cancellation by the chair, each in the history', async () => {
    const id = await open();
    expect(
      (await api.post(afripol, `/action-items/${id}/progress`, { percent: 60, note: 'Draft circulated' })).statusCode,
    ).toBe(200);
    expect((await api.post(afripol, `/action-items/${id}/completion`)).statusCode).toBe(200);
    expect((await api.post(chair, `/action-items/${id}/reopening`, { reason: 'Annex missing' })).statusCode).toBe(200);
    expect(
      (await api.post(chair, `/action-items/${id}/due-date`, { dueDate: '2026-03-20', reason: 'Annex' })).statusCode,
    ).toBe(200);
    expect((await api.post(chair, `/action-items/${id}/cancellation`, { reason: 'Superseded' })).statusCode).toBe(200);
    const view = (await api.get(aimc, `/action-items/${id}`)).json();
    expect(view).toMatchObject({ status: 'cancelled', percent: 60, dueDate: '2026-03-20' });
    expect(view.history.map((step: { type: string }) => step.type)).toEqual([
      'ActionItemOpened',
      'ActionItemProgressed',
      'ActionItemCompleted',
      'ActionItemReopened',
      'ActionItemDueDateChanged',
      'ActionItemCancelled',
    ]);
    expect(view.history[1]).toMatchObject({ entityId: 'afripol', detail: { percent: 60, note: 'Draft circulated' } });
    const history = (await api.get(aimc, `/action-items/${id}/history`)).json();
    expect(history.events).toHaveLength(6);
  });

  it('answers 409 to illegal transitions and 403 to the wrong entity', async () => {
    const id = await open();
    expect((await api.post(aimc, `/action-items/${id}/progress`, { percent: 10, note: 'n' })).statusCode).toBe(403);
    expect((await api.post(afripol, `/action-items/${id}/cancellation`, { reason: 'r' })).statusCode).toBe(403);
    expect((await api.post(chair, `/action-items/${id}/reopening`, { reason: 'r' })).statusCode).toBe(409);
    await api.post(afripol, `/action-items/${id}/completion`, { note: 'Done' });
    expect((await api.post(afripol, `/action-items/${id}/completion`)).statusCode).toBe(409);
    expect((await api.post(afripol, `/action-items/${id}/progress`, { percent: 10, note: 'n' })).statusCode).toBe(409);
  });

  it('refuses percent outside 0..100 and a missing reason with 400, an unknown item with 404, a stale If-Match with 412', async () => {
    const id = await open();
    expect((await api.post(afripol, `/action-items/${id}/progress`, { percent: 101, note: 'n' })).statusCode).toBe(400);
    expect((await api.post(chair, `/action-items/${id}/cancellation`, {})).statusCode).toBe(400);
    expect((await api.post(afripol, '/action-items/nope/completion')).statusCode).toBe(404);
    expect((await api.get(afripol, '/action-items/nope')).statusCode).toBe(404);
    expect(
      (await api.post(afripol, `/action-items/${id}/progress`, { percent: 5, note: 'n' }, { 'if-match': 'W/"9"' }))
        .statusCode,
    ).toBe(412);
  });

  it('hides an item implementing a members-only proposal from observer entities everywhere', async () => {
    const unodc = await t.token('delegate', 'unodc');
    const proposalId = await api.submit(europol, 'strategic', { visibility: 'members' });
    await api.post(chair, `/proposals/${proposalId}/decision`, { outcome: 'adopted', note: 'Agreed' });
    const hidden = await open({ proposalId, title: 'Covert liaison network' });
    const visible = await open();
    expect((await api.get(unodc, `/action-items/${hidden}`)).statusCode).toBe(404);
    expect((await api.get(unodc, `/action-items/${hidden}/history`)).statusCode).toBe(404);
    expect((await api.post(unodc, `/action-items/${hidden}/progress`, { percent: 1, note: 'n' })).statusCode).toBe(404);
    expect(
      (await api.get(unodc, '/groups/strategic/action-items')).json().items.map((i: { id: string }) => i.id),
    ).toEqual([visible]);
    expect((await api.get(unodc, '/groups/strategic/action-items.csv')).body).not.toContain('Covert');
    expect((await api.get(unodc, '/groups/strategic/dashboard')).json().counts.open).toBe(1);
    expect((await api.get(afripol, `/action-items/${hidden}`)).json()).toMatchObject({
      visibility: 'members',
      proposalId,
    });
    expect((await api.get(afripol, '/groups/strategic/dashboard')).json().counts.open).toBe(2);
  });

  it("hides items from an entity that left the group (404) and refuses it the group's routes (403)", async () => {
    const id = await open();
    await api.del(secretariat, '/groups/strategic/participants/aimc');
    expect((await api.get(aimc, `/action-items/${id}`)).statusCode).toBe(404);
    expect((await api.get(aimc, '/groups/strategic/action-items')).statusCode).toBe(403);
    expect((await api.get(aimc, '/groups/strategic/action-items.csv')).statusCode).toBe(403);
    expect((await api.get(aimc, '/groups/strategic/dashboard')).statusCode).toBe(403);
  });
});

describe('lists, overdue and the dashboard', () => {
  it('computes overdue from the clock at read time and filters by status and owner', async () => {
    const late = await open({ dueDate: '2026-03-05' });
    const later = await open({ dueDate: '2026-03-12', ownerEntityId: 'aimc' });
    const ids = async (query: string) =>
      (await api.get(afripol, `/groups/strategic/action-items?${query}`)).json().items.map((i: { id: string }) => i.id);
    expect(await ids('status=overdue')).toEqual([]);
    t.time.set('2026-03-06T00:00:01.000Z');
    expect(await ids('status=overdue')).toEqual([late]);
    expect(await ids('status=open')).toEqual([later]);
    expect(await ids('owner=aimc')).toEqual([later]);
    expect((await api.get(afripol, `/action-items/${late}`)).json().overdue).toBe(true);
  });

  it('pages by due date with an opaque cursor and refuses a forged one', async () => {
    const ids = [];
    for (const day of ['15', '11', '13']) ids.push(await open({ dueDate: `2026-03-${day}` }));
    const first = (await api.get(afripol, '/groups/strategic/action-items?limit=2')).json();
    expect(first.items.map((i: { dueDate: string }) => i.dueDate)).toEqual(['2026-03-11', '2026-03-13']);
    const second = (await api.get(afripol, `/groups/strategic/action-items?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ dueDate: '2026-03-15' }], nextCursor: null });
    expect((await api.get(afripol, '/groups/strategic/action-items?cursor=abc')).statusCode).toBe(400);
    expect((await api.get(afripol, '/groups/strategic/action-items?limit=201')).statusCode).toBe(400);
  });

  it('counts the dashboard as hand-counted at three clock values', async () => {
    const a = await open({ dueDate: '2026-03-04' }); // afripol
    await open({ dueDate: '2026-03-08', ownerEntityId: 'aimc' });
    const c = await open({ dueDate: '2026-03-20' }); // afripol
    const d = await open({ dueDate: '2026-03-03', ownerEntityId: 'aimc' });
    await api.post(afripol, `/action-items/${c}/completion`);
    await api.post(chair, `/action-items/${d}/cancellation`, { reason: 'Dropped' });
    const dashboard = async () => (await api.get(afripol, '/groups/strategic/dashboard')).json();

    // 2 March: a (4th) and b (8th) due within 7 days; c done; d cancelled.
    let now = await dashboard();
    expect(now.counts).toEqual({ open: 2, overdue: 0, done: 1, cancelled: 1 });
    expect(now.dueSoon.map((i: { dueDate: string }) => i.dueDate)).toEqual(['2026-03-04', '2026-03-08']);
    expect(now.byOwner).toEqual({ afripol: { open: 1, overdue: 0, done: 1 }, aimc: { open: 1, overdue: 0, done: 0 } });

    // 5 March: a is late.
    t.time.set('2026-03-05T12:00:00.000Z');
    now = await dashboard();
    expect(now.counts).toEqual({ open: 1, overdue: 1, done: 1, cancelled: 1 });
    expect(now.overdue.map((i: { id: string }) => i.id)).toEqual([a]);
    expect(now.byOwner.afripol).toEqual({ open: 0, overdue: 1, done: 1 });

    // 9 March: both open items are late, nothing due soon.
    t.time.set('2026-03-09T00:00:00.000Z');
    now = await dashboard();
    expect(now.counts).toEqual({ open: 0, overdue: 2, done: 1, cancelled: 1 });
    expect(now.dueSoon).toEqual([]);
    expect(now.byOwner.aimc).toEqual({ open: 0, overdue: 1, done: 0 });
  });

  it('exports the filtered list as RFC 4180 CSV that a parser reads back exactly', async () => {
    const titles = ['Plain', 'Commas, and more, commas', 'She said "no"', 'Two\nlines', '=HYPERLINK("http://x")'];
    for (const title of titles) await open({ title });
    const res = await api.get(chair, '/groups/strategic/action-items.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => row.title)).toEqual([...titles.slice(0, 4), `'=HYPERLINK("http://x")`]);
    expect(rows[0]).toMatchObject({
      ownerEntityId: 'afripol',
      dueDate: '2026-03-10',
      status: 'open',
      percent: '0',
      overdue: 'false',
    });
    const none = await api.get(chair, '/groups/strategic/action-items.csv?status=done');
    expect(parse(none.body, { columns: true })).toEqual([]);
  });

  it('neutralises every cell that could start a formula with , or ; as list separator, and exports ids unchanged', async () => {
    const titles = [
      "a;=cmd|' /C calc'!A0;",
      '=1+1',
      '"=1"',
      'x; "@SUM(1)"',
      'x;  -2+3',
      '\uFF1D1',
      'line\n-2+3',
      'line\r\n+1;\r@2',
      'a;\t=1',
      'Plain; nothing',
    ];
    const ids: string[] = [];
    for (const title of titles) ids.push(await open({ title }));
    // Older ids may start with '-' (new ones cannot): one such item, appended as it was recorded then.
    const legacy = '-legacyItem1';
    await t.runtime.store.append({
      streamId: actionItemStream(legacy),
      expectedVersion: 'no-stream',
      events: [
        {
          type: 'ActionItemOpened',
          data: {
            actionItemId: legacy,
            groupId: 'strategic',
            visibility: 'dialogue',
            title: '-1',
            ownerEntityId: 'afripol',
            dueDate: '2026-03-10',
            proposalId: null,
          },
        },
      ],
      metadata: { actor: { entityId: 'interpol', person: 'chair', role: 'delegate' }, requestId: 'csv-legacy' },
    });
    ids.push(legacy);
    const body = (await api.get(chair, '/groups/strategic/action-items.csv')).body;
    const formula = (cell: string) => /^[ "]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell);
    const recordDelimiter = ['\r\n', '\n', '\r'];

    const comma = parse(body, { columns: true, record_delimiter: recordDelimiter }) as Array<Record<string, string>>;
    expect(comma.map((row) => row.id).sort()).toEqual([...ids].sort());
    for (const row of comma) {
      for (const [column, cell] of Object.entries(row)) {
        if (column === 'id') continue;
        expect(formula(cell), `${column}: ${JSON.stringify(cell)}`).toBe(false);
      }
    }
    expect(comma.find((row) => row.id === ids[0])?.title).toBe("a;'=cmd|' /C calc'!A0;");

    const semicolon = parse(body, {
      delimiter: ';',
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: recordDelimiter,
    }) as string[][];
    for (const record of semicolon) {
      record.forEach((cell, index) => {
        // A line's first cell starts with the item's own id, which is exported as it is.
        if (index === 0 && ids.some((id) => cell.startsWith(`${id},`))) return;
        expect(formula(cell), JSON.stringify(cell)).toBe(false);
      });
    }
  });
});

describe('new ids', () => {
  it('never start with -, which a spreadsheet reads as a minus', () => {
    for (let i = 0; i < 20_000; i += 1) {
      const id = newId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{20}$/);
    }
    expect(newId(12)).toHaveLength(12);
  });
});
