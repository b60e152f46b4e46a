import { afterEach, describe, expect, it } from 'vitest';
import { verifyEvents } from '../../src/audit/verify';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

let t: TestContext;
afterEach(async () => t.close());

describe('when the log cannot commit', () => {
  it('answers 503 problem+json on a full disk, acknowledges nothing it did not commit, and recovers', async () => {
    t = await createTestApp();
    const api = client(t);
    const europol = await t.token('delegate', 'europol');
    const proposal = await api.submit(europol, 'strategic');
    const sqlite = t.runtime.db.sqlite;
    const pages = Number(sqlite.pragma('page_count', { simple: true }));
    // The database may not grow by more than a few pages: SQLite answers SQLITE_FULL, as on a full disk.
    sqlite.pragma(`max_page_count = ${pages + 2}`);
    const acknowledged: string[] = [];
    let unavailable = 0;
    for (let i = 0; i < 40 && unavailable === 0; i += 1) {
      const res = await api.post(europol, `/proposals/${proposal}/comments`, { body: `${i} ${'x'.repeat(8_000)}` });
      if (res.statusCode === 201) acknowledged.push(res.json().commentId);
      else {
        expect(res.statusCode).toBe(503);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json().detail).toMatch(/nothing was recorded/);
        unavailable += 1;
      }
    }
    expect(unavailable).toBe(1);
    const stored = t.runtime.store.reader
      .readStream(`proposal-${proposal}`)
      .filter((e) => e.type === 'CommentPosted')
      .map((e) => e.data.commentId);
    expect(stored).toEqual(acknowledged);
    expect(verifyEvents(t.runtime.store.reader.iterate()).ok).toBe(true);

    sqlite.pragma('max_page_count = 1073741823');
    const after = await api.post(europol, `/proposals/${proposal}/comments`, { body: 'space is back' });
    expect(after.statusCode).toBe(201);
    expect((await api.get(europol, `/proposals/${proposal}`)).json().comments).toHaveLength(acknowledged.length + 1);
  });

  it('answers 503 while the database is read-only, and recovers when it is writable again', async () => {
    t = await createTestApp();
    const api = client(t);
    const europol = await t.token('delegate', 'europol');
    const head = t.runtime.store.reader.head().position;
    t.runtime.db.sqlite.pragma('query_only = ON');
    const refused = await api.post(europol, '/groups/strategic/proposals', { title: 't', body: 'b' });
    expect(refused.statusCode).toBe(503);
    expect(t.runtime.store.reader.head().position).toBe(head);
    t.runtime.db.sqlite.pragma('query_only = OFF');
    expect((await api.post(europol, '/groups/strategic/proposals', { title: 't', body: 'b' })).statusCode).toBe(201);
  });

  it('answers searches from the index as it stands while the log cannot be written, and catches up after', async () => {
    t = await createTestApp();
    const api = client(t);
    const europol = await t.token('delegate', 'europol');
    const proposal = await api.submit(europol, 'strategic');
    expect(
      (await api.post(europol, `/proposals/${proposal}/comments`, { body: 'Sargassum shipping lanes' })).statusCode,
    ).toBe(201);
    t.runtime.db.sqlite.pragma('query_only = ON');
    const during = await api.get(europol, '/groups/strategic/proposals?q=sargassum');
    expect(during.statusCode).toBe(200);
    t.runtime.db.sqlite.pragma('query_only = OFF');
    const after = await api.get(europol, '/groups/strategic/proposals?q=sargassum');
    expect(after.json().items.map((item: { id: string }) => item.id)).toEqual([proposal]);
  });
});
