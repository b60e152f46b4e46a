import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
let author: string;
let chair: string;
let secretariat: string;

beforeAll(async () => {
  t = await createTestApp();
  api = client(t);
  [author, chair, secretariat] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'interpol'), t.token('secretariat')]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
});
afterAll(async () => t.close());

const SERVER_OWNED = ['authorEntityId', 'status', 'version', 'id', 'position', 'groupId', 'createdAt'];

it('refuses server-owned fields, __proto__ and constructor in every write body with 400, recording nothing', async () => {
  const proposal = await api.submit(author, 'strategic');
  const item = (await api.post(chair, '/groups/strategic/action-items', { title: 'i', ownerEntityId: 'afripol', dueDate: '2026-12-01' })).json().id;
  const writes: Array<[string, string, Record<string, unknown>]> = [
    [author, '/groups/strategic/proposals', { title: 't', body: 'b' }],
    [author, `/proposals/${proposal}/revisions`, { title: 'x', expectedVersion: 1 }],
    [chair, `/proposals/${proposal}/comments`, { body: 'c' }],
    [chair, `/proposals/${proposal}/endorsements`, { note: 'n' }],
    [chair, `/proposals/${proposal}/objections`, { reason: 'r' }],
    [author, `/proposals/${proposal}/withdrawal`, { reason: 'r' }],
    [chair, `/proposals/${proposal}/decision`, { outcome: 'rejected', note: 'n' }],
    [chair, '/groups/strategic/action-items', { title: 't', ownerEntityId: 'afripol', dueDate: '2026-12-01' }],
    [chair, `/action-items/${item}/due-date`, { dueDate: '2026-12-02', reason: 'r' }],
    [chair, `/action-items/${item}/progress`, { percent: 1, note: 'n' }],
    [chair, `/action-items/${item}/completion`, { note: 'n' }],
    [chair, `/action-items/${item}/reopening`, { reason: 'r' }],
    [chair, `/action-items/${item}/cancellation`, { reason: 'r' }],
    [secretariat, '/groups/operational/chairs', { entityId: 'afripol' }],
    [secretariat, '/groups/operational/participants', { entityId: 'afripol' }],
  ];
  const head = t.runtime.store.reader.head().position;
  let tried = 0;
  for (const [token, url, body] of writes) {
    for (const field of SERVER_OWNED) {
      const res = await api.post(token, url, { ...body, [field]: field === 'version' ? 99 : 'forged' });
      expect(res.statusCode, `${url} with ${field}`).toBe(400);
      tried += 1;
    }
    for (const raw of [`{"__proto__": {"admin": true}, ${JSON.stringify(body).slice(1)}`, `{"constructor": {"prototype": {"admin": true}}, ${JSON.stringify(body).slice(1)}`]) {
      const res = await t.app.inject({ method: 'POST', url, headers: { ...t.auth(token), 'content-type': 'application/json' }, payload: raw });
      expect(res.statusCode, `${url} with ${raw.slice(0, 30)}`).toBe(400);
      tried += 1;
    }
  }
  expect(t.runtime.store.reader.head().position).toBe(head);
  expect(({} as Record<string, unknown>).admin).toBeUndefined();
  expect(tried).toBe(writes.length * (SERVER_OWNED.length + 2));
});
