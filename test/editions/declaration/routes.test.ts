import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem } from '../../proposals/support';
import { expectViewsEqualRebuild } from '../../support/views';
import { type DeclarationContext, declarationContext, paths, put, scheduleEdition } from './support';

let c: DeclarationContext;
beforeAll(async () => {
  c = await declarationContext();
});
afterAll(() => c.t.close());

/** A fresh edition of the shared context, drafted by the secretariat; its paths. */
async function drafted() {
  const editionId = await scheduleEdition(c.t, {
    agenda: [c.first, c.open, c.second],
    attending: [['europol', 'member']],
  });
  const p = paths(editionId);
  const res = await c.api.post(c.secretariat, p.base);
  expect(res.statusCode).toBe(201);
  return { editionId, p, version: res.json().version as number };
}

describe('drafting', () => {
  it('drafts a paragraph per adopted proposal on the agenda, in agenda order, worded as the proposal', async () => {
    const { editionId, p } = await drafted();
    const view = (await c.api.get(c.europol, p.base)).json();
    const edition = (await c.api.get(c.europol, `/editions/${editionId}`)).json();
    expect(view).toMatchObject({
      editionId,
      editionNumber: edition.number,
      status: 'draft',
      revision: 1,
      silence: null,
      adoptedAt: null,
      adoptedBy: null,
      textHash: null,
      signature: null,
      receipt: null,
      paragraphs: [
        {
          n: 1,
          text: 'Four areas of cooperation\n\nThe text of Four areas of cooperation.',
          sourceProposalId: c.first,
        },
        {
          n: 2,
          text: 'Streamlined working groups\n\nThe text of Streamlined working groups.',
          sourceProposalId: c.second,
        },
      ],
    });
  });

  it('answers 201 with the Location of the declaration, and 409 to a second draft', async () => {
    const editionId = await scheduleEdition(c.t);
    const res = await c.api.post(c.secretariat, paths(editionId).base);
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe(`/editions/${editionId}/declaration`);
    expect((await c.api.post(c.secretariat, paths(editionId).base)).statusCode).toBe(409);
  });

  it('lets only the secretariat draft (403), and answers 404 for an unknown edition', async () => {
    const editionId = await scheduleEdition(c.t);
    for (const token of [c.europol, c.interpol, c.sco, c.auditor])
      expect((await c.api.post(token, paths(editionId).base)).statusCode).toBe(403);
    expect((await c.api.post(c.secretariat, paths('nope').base)).statusCode).toBe(404);
  });

  it('drafts nothing from a members-only proposal, and hides a source from a caller outside its group', async () => {
    const { p } = await drafted();
    const sources = async (token: string) =>
      (await c.api.get(token, p.base))
        .json()
        .paragraphs.map((paragraph: { sourceProposalId: string | null }) => paragraph.sourceProposalId);
    expect(await sources(c.secretariat)).toEqual([c.first, c.second]);
    expect(await sources(c.sco)).toEqual([c.first, c.second]);
    for (const token of [c.sco, c.europol]) {
      const read = [p.base, `${p.base}/history`, `${p.base}.md`, `${p.base}.html`];
      for (const url of read) expect((await c.api.get(token, url)).body).not.toContain(c.hidden);
    }
    expect((await c.api.del(c.secretariat, '/groups/strategic/participants/eco')).statusCode).toBe(200);
    const outside = await c.t.token('delegate', 'eco');
    expect(await sources(outside)).toEqual([null, null]);
    const history = (await c.api.get(outside, `${p.base}/history`)).body;
    expect(history).not.toContain(c.first);
    await c.api.post(c.secretariat, '/groups/strategic/participants', { entityId: 'eco' });
  });

  it('answers 404 before a draft and for an unknown edition, and 304 to a current ETag', async () => {
    const editionId = await scheduleEdition(c.t);
    expect((await c.api.get(c.europol, paths(editionId).base)).statusCode).toBe(404);
    expect((await c.api.get(c.europol, paths('nope').base)).statusCode).toBe(404);
    const { p } = await drafted();
    const res = await c.api.get(c.europol, p.base);
    expect(res.headers.etag).toBe(`W/"${res.json().version}"`);
    expect((await c.api.get(c.europol, p.base, { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304);
  });
});

describe('paragraphs', () => {
  it('adds (first, between, last), edits, moves and removes, each a new revision', async () => {
    const { p, version } = await drafted();
    const add = await c.api.post(c.secretariat, p.paragraphs, { text: 'Preamble', after: 0, expectedVersion: version });
    expect(add.statusCode).toBe(201);
    expect(add.json().n).toBe(1);
    const last = await c.api.post(
      c.secretariat,
      p.paragraphs,
      { text: 'Closing' },
      { 'if-match': `W/"${version + 1}"` },
    );
    expect(last.json().n).toBe(4);
    const edit = await put(c.t, c.secretariat, `${p.paragraphs}/4`, {
      text: 'Closing words',
      expectedVersion: version + 2,
    });
    expect(edit.statusCode).toBe(200);
    const move = await c.api.post(c.secretariat, `${p.paragraphs}/4/move`, { to: 2, expectedVersion: version + 3 });
    expect(move.statusCode).toBe(200);
    const remove = await c.api.del(c.secretariat, `${p.paragraphs}/3`, { 'if-match': `W/"${version + 4}"` });
    expect(remove.statusCode).toBe(200);
    const view = (await c.api.get(c.europol, p.base)).json();
    expect(view.revision).toBe(6);
    expect(view.paragraphs.map((paragraph: { text: string }) => paragraph.text.split('\n')[0])).toEqual([
      'Preamble',
      'Closing words',
      'Streamlined working groups',
    ]);
    expectViewsEqualRebuild(c.t.runtime);
  });

  it('needs If-Match or expectedVersion (428), and answers a stale one with 409 or 412', async () => {
    const { p, version } = await drafted();
    expect((await c.api.post(c.secretariat, p.paragraphs, { text: 'x' })).statusCode).toBe(428);
    expect((await put(c.t, c.secretariat, `${p.paragraphs}/1`, { text: 'x' })).statusCode).toBe(428);
    expect((await c.api.del(c.secretariat, `${p.paragraphs}/1`)).statusCode).toBe(428);
    expect((await c.api.post(c.secretariat, `${p.paragraphs}/1/move`, { to: 2 })).statusCode).toBe(428);
    expect(
      (await c.api.post(c.secretariat, p.paragraphs, { text: 'x', expectedVersion: version - 1 })).statusCode,
    ).toBe(409);
    const stale = { 'if-match': `W/"${version - 1}"` };
    expect((await c.api.post(c.secretariat, p.paragraphs, { text: 'x' }, stale)).statusCode).toBe(412);
  });

  it('answers 404 for a paragraph out of range and 400 for a place out of range, recording nothing', async () => {
    const { p, version } = await drafted();
    const at = { expectedVersion: version };
    expect((await put(c.t, c.secretariat, `${p.paragraphs}/3`, { text: 'x', ...at })).statusCode).toBe(404);
    expect((await put(c.t, c.secretariat, `${p.paragraphs}/0`, { text: 'x', ...at })).statusCode).toBe(404);
    expect((await c.api.del(c.secretariat, `${p.paragraphs}/9`, { 'if-match': `W/"${version}"` })).statusCode).toBe(
      404,
    );
    expect((await c.api.post(c.secretariat, `${p.paragraphs}/5/move`, { to: 1, ...at })).statusCode).toBe(404);
    const badTo = await c.api.post(c.secretariat, `${p.paragraphs}/1/move`, { to: 3, ...at });
    expect(badTo.statusCode).toBe(400);
    expect(problem(badTo).errors?.[0]?.path).toBe('body.to');
    const badAfter = await c.api.post(c.secretariat, p.paragraphs, { text: 'x', after: 3, ...at });
    expect(badAfter.statusCode).toBe(400);
    expect(problem(badAfter).errors?.[0]?.path).toBe('body.after');
    expect((await c.api.post(c.secretariat, p.paragraphs, { text: '   ', ...at })).statusCode).toBe(400);
    expect((await put(c.t, c.secretariat, `${p.paragraphs}/x`, { text: 'x', ...at })).statusCode).toBe(400);
    expect((await c.api.get(c.europol, p.base)).json().version).toBe(version);
  });

  it('lets only the secretariat change the text (403)', async () => {
    const { p, version } = await drafted();
    for (const token of [c.europol, c.interpol, c.sco, c.auditor]) {
      expect((await c.api.post(token, p.paragraphs, { text: 'x', expectedVersion: version })).statusCode).toBe(403);
      expect((await put(c.t, token, `${p.paragraphs}/1`, { text: 'x', expectedVersion: version })).statusCode).toBe(
        403,
      );
    }
  });

  it('answers 404 when there is no declaration to change', async () => {
    const editionId = await scheduleEdition(c.t);
    const res = await c.api.post(c.secretariat, paths(editionId).paragraphs, { text: 'x', expectedVersion: 1 });
    expect(res.statusCode).toBe(404);
  });
});

describe('history and diff', () => {
  it('lists every change with its actor and revision, and pages them', async () => {
    const { p, version } = await drafted();
    await c.api.post(c.secretariat, p.paragraphs, { text: 'Closing', expectedVersion: version });
    const history = (await c.api.get(c.europol, `${p.base}/history`)).json();
    expect(history.changes.map((change: { type: string; revision: number }) => [change.type, change.revision])).toEqual(
      [
        ['DeclarationDrafted', 1],
        ['DeclarationParagraphAdded', 2],
      ],
    );
    expect(history.changes[1]).toMatchObject({ actor: { role: 'secretariat' }, detail: { n: 3, text: 'Closing' } });
    const first = (await c.api.get(c.europol, `${p.base}/history?limit=1`)).json();
    expect(first.changes).toHaveLength(1);
    expect((await c.api.get(c.europol, `${p.base}/history?after=${first.next}`)).json().changes).toHaveLength(1);
  });

  it('compares two revisions paragraph by paragraph and word by word', async () => {
    const { p, version } = await drafted();
    await put(c.t, c.secretariat, `${p.paragraphs}/1`, { text: 'Four areas of work', expectedVersion: version });
    await c.api.post(c.secretariat, p.paragraphs, { text: 'Closing', expectedVersion: version + 1 });
    const diff = (await c.api.get(c.europol, `${p.base}/diff?from=1&to=3`)).json();
    expect(diff.paragraphs.map((entry: { status: string }) => entry.status)).toEqual(['changed', 'unchanged', 'added']);
    expect(diff.paragraphs[0].changes).toContainEqual({ value: 'work', added: true, removed: false });
    const missing = await c.api.get(c.europol, `${p.base}/diff?from=1&to=9`);
    expect(missing.statusCode).toBe(400);
    expect(problem(missing).errors?.[0]?.path).toBe('query.to');
    expect((await c.api.get(c.europol, `${p.base}/diff?from=1`)).statusCode).toBe(400);
    expect((await c.api.get(c.europol, `${paths('nope').base}/diff?from=1&to=1`)).statusCode).toBe(404);
    expect((await c.api.get(c.europol, `${paths('nope').base}/history`)).statusCode).toBe(404);
  });
});
