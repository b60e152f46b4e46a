import { createHash, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../../src/audit/signing';
import { Scheduler } from '../../../src/deadlines/scheduler';
import { canonicalText, signedMessage } from '../../../src/editions/declaration/canonical';
import { silenceDeadline } from '../../../src/editions/declaration/deadline';
import { problem } from '../../proposals/support';
import { expectViewsEqualRebuild } from '../../support/views';
import { type DeclarationContext, declarationContext, openSilence, paths, put, scheduleEdition } from './support';

let c: DeclarationContext;
beforeEach(async () => {
  c = await declarationContext();
});
afterEach(() => c.t.close());

const HOUR = 60 * 60 * 1000;
const key = loadSigningKey(null);
const scheduler = () =>
  new Scheduler(c.t.runtime.commands, [silenceDeadline(c.t.runtime.declarations, key)], c.t.time.clock, 1000);

describe('opening a silence procedure', () => {
  it('refuses an until in the past, too close or not a date-time (400 on body.until), recording nothing', async () => {
    const p = paths(c.editionId);
    await c.api.post(c.secretariat, p.base);
    const now = c.t.time.clock().getTime();
    for (const until of [
      new Date(now - 1000).toISOString(),
      new Date(now + HOUR - 1000).toISOString(),
      'tomorrow',
      '2026-02-30T10:00:00Z',
    ]) {
      const res = await c.api.post(c.secretariat, p.silence, { until });
      expect(res.statusCode).toBe(400);
      expect(problem(res).errors?.[0]?.path).toBe('body.until');
    }
    expect((await c.api.get(c.europol, p.base)).json().status).toBe('draft');
  });

  it('freezes the text (409 on edits), refuses a second procedure (409) and anyone but the secretariat (403)', async () => {
    const until = await openSilence(c);
    const p = paths(c.editionId);
    for (const token of [c.europol, c.interpol, c.auditor])
      expect((await c.api.post(token, p.silence, { until })).statusCode).toBe(403);
    expect((await c.api.post(c.secretariat, p.silence, { until })).statusCode).toBe(409);
    const version = (await c.api.get(c.europol, p.base)).json().version;
    expect(
      (await put(c.t, c.secretariat, `${p.paragraphs}/1`, { text: 'x', expectedVersion: version })).statusCode,
    ).toBe(409);
    expect((await c.api.post(c.secretariat, p.paragraphs, { text: 'x', expectedVersion: version })).statusCode).toBe(
      409,
    );
    expect((await c.api.get(c.europol, p.base)).json()).toMatchObject({
      status: 'silence',
      silence: { until, breaks: [] },
    });
  });

  it('needs at least one paragraph (409), a draft (404 without one) and a known edition (404)', async () => {
    const empty = await scheduleEdition(c.t);
    const until = new Date(c.t.time.clock().getTime() + 2 * HOUR).toISOString();
    expect((await c.api.post(c.secretariat, paths(empty).silence, { until })).statusCode).toBe(404);
    await c.api.post(c.secretariat, paths(empty).base);
    expect((await c.api.post(c.secretariat, paths(empty).silence, { until })).statusCode).toBe(409);
    expect((await c.api.post(c.secretariat, paths('nope').silence, { until })).statusCode).toBe(404);
  });

  it('needs a member entity to have attended (409): adoption names the members present', async () => {
    const observed = await scheduleEdition(c.t, { agenda: [c.first], attending: [['sco', 'observer']] });
    const until = new Date(c.t.time.clock().getTime() + 2 * HOUR).toISOString();
    await c.api.post(c.secretariat, paths(observed).base);
    const refused = await c.api.post(c.secretariat, paths(observed).silence, { until });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/no member entity attended/);
    const version = c.t.runtime.store.version(`edition-${observed}`);
    await c.api.post(c.secretariat, `/editions/${observed}/attendance`, { entityId: 'afripol', delegates: ['A'] });
    expect(c.t.runtime.store.version(`edition-${observed}`)).toBe(version + 1);
    expect((await c.api.post(c.secretariat, paths(observed).silence, { until })).statusCode).toBe(200);
  });
});

describe('breaking silence', () => {
  const reason = { reason: 'Paragraph 2 needs another reading' };

  it('lets a delegate of an attending member entity break it once (201, then 409)', async () => {
    await openSilence(c);
    const p = paths(c.editionId);
    expect((await c.api.post(c.europol, p.breaks, reason)).statusCode).toBe(201);
    expect((await c.api.post(c.europol, p.breaks, reason)).statusCode).toBe(409);
    const view = (await c.api.get(c.sco, p.base)).json();
    expect(view.silence.breaks).toEqual([{ entityId: 'europol', reason: reason.reason, at: expect.any(String) }]);
  });

  it('refuses other roles, an observer entity and a member entity that did not attend (403)', async () => {
    await openSilence(c);
    const p = paths(c.editionId);
    for (const token of [c.secretariat, c.auditor, c.sco, c.afripol])
      expect((await c.api.post(token, p.breaks, reason)).statusCode).toBe(403);
  });

  it('refuses a break with no procedure open or after until (409), and a blank reason (400)', async () => {
    const p = paths(c.editionId);
    await c.api.post(c.secretariat, p.base);
    expect((await c.api.post(c.europol, p.breaks, reason)).statusCode).toBe(409);
    await openSilence(c);
    expect((await c.api.post(c.europol, p.breaks, { reason: ' ' })).statusCode).toBe(400);
    c.t.time.advance(2 * HOUR);
    expect((await c.api.post(c.europol, p.breaks, reason)).statusCode).toBe(409);
    expect((await c.api.get(c.europol, p.base)).json().silence.breaks).toEqual([]);
    expect((await c.api.post(c.europol, paths('nope').breaks, reason)).statusCode).toBe(404);
  });
});

describe('the end of silence, fired by the scheduler', () => {
  it('adopts an unbroken text with its hash, the signature and the attending members, once', async () => {
    const until = await openSilence(c);
    const p = paths(c.editionId);
    expect(await scheduler().runDue()).toEqual([]);
    c.t.time.advance(2 * HOUR);
    const fired = await scheduler().runDue();
    expect(fired).toMatchObject([{ kind: 'silence', streamId: `edition-${c.editionId}`, dueAt: until }]);
    expect(await scheduler().runDue()).toEqual([]);
    const view = (await c.api.get(c.europol, p.base)).json();
    const texts = view.paragraphs.map((paragraph: { text: string }) => paragraph.text);
    const hash = createHash('sha256').update(canonicalText(texts)).digest('hex');
    expect(view).toMatchObject({
      status: 'adopted',
      silence: null,
      adoptedBy: ['europol', 'interpol'],
      textHash: hash,
    });
    expect(view.adoptedAt).toBe(c.t.time.clock().toISOString());
    expect(view.receipt.position).toBe(fired[0]?.position);
    const message = Buffer.from(signedMessage(c.editionId, 7, hash));
    expect(verify(null, message, key.publicKeyPem, Buffer.from(view.signature, 'base64'))).toBe(true);
    const event = c.t.runtime.store.reader.readStreamPage(`edition-${c.editionId}`, view.version - 1, 1)[0];
    expect(event).toMatchObject({ type: 'SilenceProcedureEnded', data: { dueAt: until, outcome: 'adopted' } });
    expect(
      (await c.api.post(c.secretariat, p.silence, { until: new Date(Date.now() + 9e9).toISOString() })).statusCode,
    ).toBe(409);
    expect(
      (await c.api.post(c.secretariat, p.paragraphs, { text: 'x', expectedVersion: view.version })).statusCode,
    ).toBe(409);
    expectViewsEqualRebuild(c.t.runtime);
  });

  it('ends a broken procedure as broken: the text is editable again and a new procedure may open', async () => {
    await openSilence(c);
    const p = paths(c.editionId);
    await c.api.post(c.interpol, p.breaks, { reason: 'Not yet' });
    c.t.time.advance(2 * HOUR);
    expect(await scheduler().runDue()).toHaveLength(1);
    const view = (await c.api.get(c.europol, p.base)).json();
    expect(view).toMatchObject({ status: 'draft', silence: null, textHash: null, signature: null, adoptedBy: null });
    expect(
      (await put(c.t, c.secretariat, `${p.paragraphs}/1`, { text: 'Reworded', expectedVersion: view.version }))
        .statusCode,
    ).toBe(200);
    await openSilence(c);
    expect((await c.api.get(c.europol, p.base)).json().silence.breaks).toEqual([]);
    expect(await scheduler().runDue()).toEqual([]);
    expectViewsEqualRebuild(c.t.runtime);
  });
});
