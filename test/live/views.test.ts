import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveApp, type LiveContext } from './support';

let live: LiveContext;
beforeAll(async () => {
  live = await createLiveApp();
});
afterAll(async () => live.close());

async function post(
  token: string,
  url: string,
  payload: Record<string, unknown>,
): Promise<{ id: string; position: number }> {
  const response = await live.app.inject({ method: 'POST', url, headers: live.auth(token), payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string; position: number }>();
}

describe('views on the websocket', () => {
  it('carries the proposal view, and never shows a members-only proposal to an observer (event, view or topic)', async () => {
    const author = await live.token('delegate', 'europol');
    const member = await live.connect(await live.token('delegate', 'interpol'));
    const observer = await live.connect(await live.token('delegate', 'sco'));
    await member.subscribe('group:strategic');
    await observer.subscribe('group:strategic');

    const secret = await post(author, '/groups/strategic/proposals', {
      title: 'Shared watch list',
      body: 'Members only.',
      visibility: 'members',
    });
    const open = await post(author, '/groups/strategic/proposals', {
      title: 'Common alert format',
      body: 'For everyone.',
    });
    const comment = await post(author, `/proposals/${open.id}/comments`, { body: 'Draft attached.' });

    await member.reach('group:strategic', comment.position);
    await observer.reach('group:strategic', comment.position);
    const seenByMember = member.events('group:strategic');
    expect(seenByMember.map((m) => m.position)).toEqual([secret.position, open.position, comment.position]);
    expect(seenByMember[0]?.view).toMatchObject({ id: secret.id, visibility: 'members', title: 'Shared watch list' });
    expect(seenByMember[2]?.view).toMatchObject({ id: open.id, comments: [{ body: 'Draft attached.' }] });

    const seenByObserver = observer.events('group:strategic');
    expect(seenByObserver.map((m) => m.position)).toEqual([open.position, comment.position]);
    expect(JSON.stringify(observer.messages)).not.toContain(secret.id);
    expect(await observer.subscribe(`proposal:${secret.id}`)).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await observer.subscribe(`proposal:${open.id}`)).toMatchObject({ type: 'subscribed' });
    const late = await live.connect(await live.token('delegate', 'aimc'));
    await late.subscribe('group:strategic', secret.position - 1);
    await late.reach('group:strategic', comment.position);
    // In catch-up an event superseded by a later one of the same item carries no view; the latest carries it.
    expect(late.events('group:strategic').map((m) => [m.position, m.view === null])).toEqual([
      [secret.position, false],
      [open.position, true],
      [comment.position, false],
    ]);
    for (const client of [member, observer, late]) client.close();
  });

  it('carries the action item view on its group and its own topic', async () => {
    const secretariat = await live.token('secretariat');
    const chair = await live.token('delegate', 'frontex');
    const response = await live.app.inject({
      method: 'POST',
      url: '/groups/operational/chairs',
      headers: live.auth(secretariat),
      payload: { entityId: 'frontex' },
    });
    expect(response.statusCode).toBe(201);
    const watcher = await live.connect(await live.token('delegate', 'unodc'));
    await watcher.subscribe('group:operational');
    const item = await post(chair, '/groups/operational/action-items', {
      title: 'Map the contact points',
      ownerEntityId: 'interpol',
      dueDate: '2026-04-01',
    });
    expect(await watcher.subscribe(`action-item:${item.id}`, item.position - 1)).toMatchObject({ type: 'subscribed' });
    await watcher.reach(`action-item:${item.id}`, item.position);
    await watcher.reach('group:operational', item.position);
    for (const topic of ['group:operational', `action-item:${item.id}`]) {
      expect(watcher.events(topic).at(-1)?.view).toMatchObject({
        id: item.id,
        groupId: 'operational',
        ownerEntityId: 'interpol',
      });
    }
    watcher.close();
  });
});
