import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { client } from '../proposals/support';
import { expectViewsEqualRebuild } from '../support/views';

describe('concurrent writes', () => {
  it('lets exactly one of 50 parallel revisions with the same expected version win (409 for the rest, 412 with If-Match)', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_MAX: '100000' } });
    const api = client(t);
    const europol = await t.token('delegate', 'europol');
    const id = await api.submit(europol, 'strategic');
    const bodyRace = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.post(europol, `/proposals/${id}/revisions`, { body: `Text ${i}`, expectedVersion: 1 }),
      ),
    );
    const statuses = bodyRace.map((res) => res.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const headerRace = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.post(europol, `/proposals/${id}/revisions`, { body: `Again ${i}` }, { 'if-match': 'W/"2"' }),
      ),
    );
    expect(headerRace.filter((res) => res.statusCode === 200)).toHaveLength(1);
    expect(headerRace.filter((res) => res.statusCode === 412)).toHaveLength(49);
    const view = (await api.get(europol, `/proposals/${id}`)).json();
    expect(view).toMatchObject({ version: 3, revision: 3 });
    expect(t.runtime.store.reader.readStream(`proposal-${id}`)).toHaveLength(3);
    expectViewsEqualRebuild(t.runtime);
    await t.close();
  });

  it('records every one of 100 parallel comments by different delegates, each once', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_MAX: '100000' } });
    const api = client(t);
    const tokens = await Promise.all(['afripol', 'ameripol', 'aseanapol', 'unodc'].map((e) => t.token('delegate', e)));
    const id = await api.submit(tokens[0] as string, 'strategic');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api.post(tokens[i % tokens.length] as string, `/proposals/${id}/comments`, { body: `c${i}` }),
      ),
    );
    expect(results.every((res) => res.statusCode === 201)).toBe(true);
    expect((await api.get(tokens[0] as string, `/proposals/${id}`)).json().commentCount).toBe(100);
    const page = (await api.get(tokens[0] as string, `/proposals/${id}/comments?limit=200`)).json() as {
      items: Array<{ body: string }>;
    };
    expect(page.items.map((comment) => comment.body).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `c${i}`).sort(),
    );
    expectViewsEqualRebuild(t.runtime);
    await t.close();
  });
});

describe('idempotency under retries', () => {
  it('gives one event and the same response to a key sent concurrently, sequentially and after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-idem-'));
    const databaseUrl = path.join(dir, 'd.sqlite');
    let t = await createTestApp({ databaseUrl, env: { RATE_LIMIT_MAX: '100000' } });
    let api = client(t);
    const europol = await t.token('delegate', 'europol');
    const id = await api.submit(europol, 'strategic');
    const headers = { 'idempotency-key': 'retry-me' };
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => api.post(europol, `/proposals/${id}/comments`, { body: 'once' }, headers)),
    );
    const first = concurrent[0]?.json();
    expect(
      concurrent.every((res) => res.statusCode === 201 && JSON.stringify(res.json()) === JSON.stringify(first)),
    ).toBe(true);
    const sequential = await api.post(europol, `/proposals/${id}/comments`, { body: 'once' }, headers);
    expect(sequential.json()).toEqual(first);
    await t.close();

    t = await createTestApp({ databaseUrl, env: { RATE_LIMIT_MAX: '100000' } });
    api = client(t);
    const afterRestart = await api.post(europol, `/proposals/${id}/comments`, { body: 'once' }, headers);
    expect(afterRestart.statusCode).toBe(201);
    expect(afterRestart.json()).toEqual(first);
    expect(afterRestart.headers['idempotent-replayed']).toBe('true');
    const comments = t.runtime.store.reader.readStream(`proposal-${id}`).filter((e) => e.type === 'CommentPosted');
    expect(comments.map((event) => event.data.body)).toEqual(['once']);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
