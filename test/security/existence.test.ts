import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

/**
 * Whether an id the caller may not see exists must not show, not even in the time a 404 takes: visibility
 * is decided from the item's group and visibility alone, before any of its view is read. These tests break
 * the tables that only the views read: a caller refused first never touches them (404), while a caller who
 * may see the item reaches them (the broken view is a 500).
 */
let t: TestContext;
let api: ReturnType<typeof client>;
let member: string;
let observer: string;
let outsider: string;
let proposal: string;
let item: string;

beforeAll(async () => {
  t = await createTestApp();
  api = client(t);
  const secretariat = await t.token('secretariat');
  [member, observer, outsider] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'sco'),
    t.token('delegate', 'eco'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'europol' });
  await api.del(secretariat, '/groups/strategic/participants/eco');
  proposal = await api.submit(member, 'strategic', { visibility: 'members' });
  await api.post(member, `/proposals/${proposal}/comments`, { body: 'members only' });
  item = (
    await api.post(member, '/groups/strategic/action-items', {
      title: 'Follow up',
      ownerEntityId: 'europol',
      dueDate: '2026-12-31',
    })
  ).json().id;
  // Every statement is prepared before a table is broken, as on a server that has been serving for a while.
  expect((await api.get(member, `/proposals/${proposal}`)).statusCode).toBe(200);
  expect((await api.get(member, `/action-items/${item}`)).statusCode).toBe(200);
});
afterAll(async () => t.close());

/** Runs `check` with a view table renamed away, then puts it back. */
async function withBroken(table: string, check: () => Promise<void>): Promise<void> {
  t.runtime.db.sqlite.exec(`ALTER TABLE ${table} RENAME TO ${table}_gone`);
  try {
    await check();
  } finally {
    t.runtime.db.sqlite.exec(`ALTER TABLE ${table}_gone RENAME TO ${table}`);
  }
}

describe('a hidden item is refused before its view is read', () => {
  it('for a members-only proposal asked by an observer: view, history and comments', async () => {
    await withBroken('proposal_endorsements', async () => {
      for (const url of [
        `/proposals/${proposal}`,
        `/proposals/${proposal}/history`,
        `/proposals/${proposal}/comments`,
      ]) {
        expect((await api.get(observer, url)).statusCode, url).toBe(404);
      }
      expect((await api.get(member, `/proposals/${proposal}`)).statusCode).toBe(500);
    });
    await withBroken('proposal_objections', async () => {
      expect((await api.get(observer, `/proposals/${proposal}`)).statusCode).toBe(404);
    });
  });

  it('for an action item asked by an entity outside its group: view and history', async () => {
    await withBroken('action_item_history', async () => {
      expect((await api.get(outsider, `/action-items/${item}`)).statusCode).toBe(404);
      expect((await api.get(outsider, `/action-items/${item}/history`)).statusCode).toBe(404);
      expect((await api.get(member, `/action-items/${item}`)).statusCode).toBe(500);
    });
  });

  it('answers the same 404 for a hidden id as for an unknown one', async () => {
    const hidden = await api.get(observer, `/proposals/${proposal}`);
    const unknown = await api.get(observer, '/proposals/no-such-proposal');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().detail).toBe(`no proposal '${proposal}'`);
    expect(unknown.json().detail).toBe("no proposal 'no-such-proposal'");
    for (const url of [`/proposals/${proposal}/history`, `/proposals/${proposal}/comments`]) {
      expect((await api.get(observer, url)).statusCode, url).toBe(404);
    }
  });
});
