import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/limits';
import { createLiveApp, type LiveContext } from '../live/support';

/**
 * The documented bound: no JSON body and no websocket frame is larger than MAX_BODY_BYTES, however much
 * participants write. Every text field here is at its maximum length, in a character that takes three
 * bytes in UTF-8 (the most any character allowed in text takes per UTF-16 unit once escaped as JSON).
 */
const wide = (length: number) => '語'.repeat(length);

const COMMENTS = 40;
const ITEMS = 12;
const STEPS = 15;

let live: LiveContext;
let proposalId: string;
let itemId: string;
let head: number;
const tokens: Record<string, string> = {};

async function call(token: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await live.app.inject({
    method,
    url,
    headers: live.auth(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res;
}

beforeAll(async () => {
  live = await createLiveApp();
  const members = ['europol', 'afripol', 'ameripol', 'aseanapol', 'aimc', 'eco', 'frontex', 'gccpol', 'interpol'];
  for (const entity of members) tokens[entity] = await live.token('delegate', entity);
  const secretariat = await live.token('secretariat');
  await call(secretariat, 'POST', '/groups/strategic/chairs', { entityId: 'interpol' });
  const europol = tokens.europol as string;
  const chair = tokens.interpol as string;
  proposalId = (
    await call(europol, 'POST', '/groups/strategic/proposals', { title: wide(200), body: wide(20_000) })
  ).json().id;
  for (const entity of members.filter((entity) => entity !== 'europol')) {
    await call(tokens[entity] as string, 'POST', `/proposals/${proposalId}/objections`, { reason: wide(4_000) });
  }
  for (let n = 0; n < COMMENTS; n += 1)
    await call(europol, 'POST', `/proposals/${proposalId}/comments`, { body: wide(10_000) });
  await call(chair, 'POST', `/proposals/${proposalId}/decision`, {
    outcome: 'adopted',
    note: wide(4_000),
    override: true,
  });
  for (let n = 0; n < ITEMS; n += 1) {
    itemId = (
      await call(chair, 'POST', '/groups/strategic/action-items', {
        title: wide(200),
        ownerEntityId: 'afripol',
        dueDate: '2026-01-01',
        proposalId,
      })
    ).json().id;
    for (let step = 0; step < STEPS; step += 1) {
      await call(chair, 'POST', `/action-items/${itemId}/progress`, { percent: step, note: wide(4_000) });
    }
  }
  head = live.runtime.store.reader.head().position;
}, 120_000);
afterAll(async () => live.close());

const bytes = (body: string) => Buffer.byteLength(body, 'utf8');

describe(`no response body is larger than ${MAX_BODY_BYTES} bytes`, () => {
  it('holds for the views, pages and lists of a proposal written to the limit', async () => {
    const auditor = await live.token('auditor');
    const europol = tokens.europol as string;
    const reads: Array<[string, string]> = [
      [europol, `/proposals/${proposalId}`],
      [europol, `/proposals/${proposalId}/comments?limit=200`],
      [europol, `/proposals/${proposalId}/history?limit=1000`],
      [europol, '/groups/strategic/proposals?limit=200'],
      [europol, '/groups/strategic/action-items?limit=200'],
      [europol, `/action-items/${itemId}`],
      [europol, `/action-items/${itemId}/history?limit=1000`],
      [europol, '/groups/strategic/dashboard'],
      [auditor, '/events?limit=1000'],
      [auditor, `/streams/proposal-${proposalId}?limit=1000`],
      [auditor, `/audit/state?at=${head}&group=strategic`],
    ];
    for (const [token, url] of reads) {
      const res = await call(token, 'GET', url);
      expect(bytes(res.body), url).toBeLessThanOrEqual(MAX_BODY_BYTES);
    }
  });

  it('still reaches everything through the pages', async () => {
    const europol = tokens.europol as string;
    const view = (await call(europol, 'GET', `/proposals/${proposalId}`)).json();
    expect(view).toMatchObject({ commentCount: COMMENTS, actionItemCount: ITEMS });
    let comments = 0;
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { items: unknown[]; nextCursor: string | null } = (
        await call(europol, 'GET', `/proposals/${proposalId}/comments?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      comments += page.items.length;
      cursor = page.nextCursor;
    }
    expect(comments).toBe(COMMENTS);
    let items = 0;
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { items: unknown[]; nextCursor: string | null } = (
        await call(europol, 'GET', `/groups/strategic/action-items?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      items += page.items.length;
      cursor = page.nextCursor;
    }
    expect(items).toBe(ITEMS);
    const auditor = await live.token('auditor');
    const now = live.runtime.store.reader.head().position;
    let events = 0;
    for (let after: number | null = 0; after !== null; ) {
      const page: { events: unknown[]; next: number | null } = (
        await call(auditor, 'GET', `/events?limit=1000&after=${after}`)
      ).json();
      events += page.events.length;
      after = page.next;
    }
    expect(events).toBe(now);
    let states = { proposals: 0, actionItems: 0 };
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { proposals: unknown[]; actionItems: unknown[]; nextCursor: string | null } = (
        await call(auditor, 'GET', `/audit/state?at=${head}&group=strategic${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      states = {
        proposals: states.proposals + page.proposals.length,
        actionItems: states.actionItems + page.actionItems.length,
      };
      cursor = page.nextCursor;
    }
    expect(states).toEqual({ proposals: 1, actionItems: ITEMS });
  });
});

describe(`no websocket frame is larger than ${MAX_BODY_BYTES} bytes`, () => {
  it('holds for a catch-up of the whole group and for a live comment on the proposal', async () => {
    const member = await live.connect(tokens.aimc as string);
    await member.subscribe('group:strategic', 0);
    await member.reach('group:strategic', head);
    await member.subscribe(`proposal:${proposalId}`);
    const posted = (
      await call(tokens.europol as string, 'POST', `/proposals/${proposalId}/comments`, { body: wide(10_000) })
    ).json();
    await member.reach(`proposal:${proposalId}`, posted.position);
    expect(member.events('group:strategic').length).toBeGreaterThan(COMMENTS + ITEMS * STEPS);
    for (const frame of member.frames) expect(bytes(frame)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // A live comment carries the comment it adds, and a view with the newest few.
    const last = member.events(`proposal:${proposalId}`).at(-1);
    expect(last?.event?.data).toMatchObject({ body: wide(10_000) });
    expect(last?.view).toMatchObject({ commentCount: COMMENTS + 1 });
    member.close();
  });
});
