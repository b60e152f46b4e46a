import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECENT_COMMENTS } from '../../src/proposals/bounds';
import { createTestApp, type TestContext } from '../support/app';
import { client, problem } from './support';

let t: TestContext;
let api: ReturnType<typeof client>;
let europol: string;
let unodc: string;
let id: string;

/** Posts `count` comments numbered from 1 and returns their ids in order. */
async function comment(count: number, on = id): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const res = await api.post(europol, `/proposals/${on}/comments`, { body: `comment ${n}` });
    expect(res.statusCode).toBe(201);
    ids.push(res.json().commentId as string);
  }
  return ids;
}

beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
  [europol, unodc] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'unodc')]);
  id = await api.submit(europol, 'strategic');
});
afterEach(async () => t.close());

describe('a proposal view', () => {
  it('carries the count of its comments and only the newest few, oldest of them first', async () => {
    const ids = await comment(RECENT_COMMENTS + 5);
    const view = (await api.get(europol, `/proposals/${id}`)).json();
    expect(view.commentCount).toBe(RECENT_COMMENTS + 5);
    expect(view.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(5));
    expect(view.comments[0]).toEqual({
      id: ids[5],
      entityId: 'europol',
      body: 'comment 6',
      replyTo: null,
      at: expect.any(String),
    });
  });

  it('carries every comment while there are few, and a count of zero without any', async () => {
    expect((await api.get(europol, `/proposals/${id}`)).json()).toMatchObject({ comments: [], commentCount: 0 });
    await comment(2);
    expect((await api.get(europol, `/proposals/${id}`)).json()).toMatchObject({
      commentCount: 2,
      comments: [{ body: 'comment 1' }, { body: 'comment 2' }],
    });
  });
});

describe('GET /proposals/:id/comments', () => {
  it('pages every comment in thread order, each page continuing where the last ended', async () => {
    const ids = await comment(25);
    const seen: string[] = [];
    let url = `/proposals/${id}/comments?limit=10`;
    for (let pages = 0; ; pages += 1) {
      const res = await api.get(europol, url);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Array<{ id: string }>; nextCursor: string | null };
      seen.push(...page.items.map((c) => c.id));
      if (page.nextCursor === null) {
        expect(pages).toBe(2);
        break;
      }
      url = `/proposals/${id}/comments?limit=10&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(ids);
  });

  it('pages newest first when asked', async () => {
    const ids = await comment(5);
    const first = (await api.get(europol, `/proposals/${id}/comments?order=newest&limit=3`)).json();
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3], ids[2]]);
    const second = (
      await api.get(europol, `/proposals/${id}/comments?order=newest&limit=3&cursor=${first.nextCursor}`)
    ).json();
    expect(second).toEqual({
      items: [expect.objectContaining({ id: ids[1] }), expect.objectContaining({ id: ids[0] })],
      nextCursor: null,
    });
  });

  it('answers an empty page for a proposal without comments', async () => {
    expect((await api.get(europol, `/proposals/${id}/comments`)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor of the other order, a forged cursor and bad limits with 400 naming the parameter', async () => {
    await comment(3);
    const { nextCursor } = (await api.get(europol, `/proposals/${id}/comments?limit=1`)).json();
    for (const [url, path] of [
      [`/proposals/${id}/comments?order=newest&cursor=${nextCursor}`, 'querystring.cursor'],
      [`/proposals/${id}/comments?cursor=bm90LWEtY3Vyc29y`, 'querystring.cursor'],
      [`/proposals/${id}/comments?limit=0`, 'querystring.limit'],
      [`/proposals/${id}/comments?limit=201`, 'querystring.limit'],
      [`/proposals/${id}/comments?order=random`, 'querystring.order'],
      [`/proposals/${id}/comments?page=2`, 'querystring.page'],
    ] as const) {
      const res = await api.get(europol, url);
      expect(res.statusCode, url).toBe(400);
      expect(problem(res).errors?.[0]?.path, url).toBe(path);
    }
  });

  it('answers 404 for an unknown proposal and for a members-only proposal asked by an observer', async () => {
    const secret = await api.submit(europol, 'strategic', { visibility: 'members' });
    await comment(1, secret);
    expect((await api.get(europol, '/proposals/unknown/comments')).statusCode).toBe(404);
    expect((await api.get(unodc, `/proposals/${secret}/comments`)).statusCode).toBe(404);
    expect((await api.get(unodc, `/proposals/${id}/comments`)).statusCode).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/proposals/${id}/comments` })).statusCode).toBe(401);
  });
});

describe('GET /proposals/:id/history', () => {
  it("pages the proposal's events by version", async () => {
    await comment(4);
    const first = (await api.get(europol, `/proposals/${id}/history?limit=3`)).json();
    expect(first.events.map((e: { version: number }) => e.version)).toEqual([1, 2, 3]);
    expect(first.next).toBe(3);
    const second = (await api.get(europol, `/proposals/${id}/history?limit=3&after=3`)).json();
    expect(second).toMatchObject({ events: [{ version: 4 }, { version: 5 }], next: null });
  });

  it('refuses a limit over 1000 with 400', async () => {
    expect((await api.get(europol, `/proposals/${id}/history?limit=1001`)).statusCode).toBe(400);
  });
});
