import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestContext } from '../support/app';
import type { client } from '../proposals/support';
import { createWriters, everyWrite, type WritersContext } from '../support/writes';

let writers: WritersContext;
let t: TestContext;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  writers = await createWriters();
  ({ t, api } = writers);
});
afterAll(async () => t.close());

const SERVER_OWNED = ['authorEntityId', 'status', 'version', 'id', 'position', 'groupId', 'createdAt'];

it('refuses server-owned fields, __proto__ and constructor in every write body with 400, recording nothing', async () => {
  const writes = (await everyWrite(writers)).map(({ token, url, body }) => [token, url, body] as const);
  const head = t.runtime.store.reader.head().position;
  let tried = 0;
  for (const [token, url, body] of writes) {
    for (const field of SERVER_OWNED) {
      const res = await api.post(token, url, { ...body, [field]: field === 'version' ? 99 : 'forged' });
      expect(res.statusCode, `${url} with ${field}`).toBe(400);
      tried += 1;
    }
    for (const raw of [
      `{"__proto__": {"admin": true}, ${JSON.stringify(body).slice(1)}`,
      `{"constructor": {"prototype": {"admin": true}}, ${JSON.stringify(body).slice(1)}`,
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...t.auth(token), 'content-type': 'application/json' },
        payload: raw,
      });
      expect(res.statusCode, `${url} with ${raw.slice(0, 30)}`).toBe(400);
      tried += 1;
    }
  }
  expect(t.runtime.store.reader.head().position).toBe(head);
  expect(({} as Record<string, unknown>).admin).toBeUndefined();
  expect(tried).toBe(writes.length * (SERVER_OWNED.length + 2));
});
