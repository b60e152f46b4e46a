import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { tokenStream } from '../../src/tokens/events';
import { hashToken } from '../../src/tokens/tokens';
import { createLiveApp, type LiveContext, note } from './support';

let live: LiveContext;
beforeAll(async () => {
  live = await createLiveApp();
});
afterAll(async () => live.close());

describe('visibility on the websocket', () => {
  it('never sends a members-only event to an observer, live or in catch-up', async () => {
    const observer = await live.connect(await live.token('delegate', 'sco'));
    const member = await live.connect(await live.token('delegate', 'europol'));
    const start = live.app.liveHub.published;
    await observer.subscribe('group:operational');
    await member.subscribe('group:operational');
    await live.runtime.store.append(note('operational', 'members', 'members only'));
    await live.runtime.store.append(note('operational', 'dialogue', 'for everyone'));
    const last = live.app.liveHub.published;
    await member.reach('group:operational', last);
    await observer.reach('group:operational', last);
    expect(member.events('group:operational').map((m) => m.event?.data.visibility)).toEqual(['members', 'dialogue']);
    expect(observer.events('group:operational').map((m) => m.event?.data.visibility)).toEqual(['dialogue']);

    const late = await live.connect(await live.token('delegate', 'unodc'));
    await late.subscribe('group:operational', start);
    await late.reach('group:operational', last);
    expect(late.events('group:operational').map((m) => m.position)).toEqual([last]);
    for (const client of [observer, member, late]) client.close();
  });

  it('sends events without a group (tokens, reference data) on the log only', async () => {
    const auditor = await live.connect(await live.token('auditor'));
    const member = await live.connect(await live.token('delegate', 'europol'));
    await auditor.subscribe('log');
    await member.subscribe('group:strategic');
    await live.token('delegate', 'frontex');
    await live.runtime.store.append(note('strategic'));
    const last = live.app.liveHub.published;
    await auditor.reach('log', last);
    await member.reach('group:strategic', last);
    expect(auditor.events('log').map((m) => m.event?.type)).toEqual(['TokenIssued', 'NoteTaken']);
    expect(member.events('group:strategic').map((m) => m.event?.type)).toEqual(['NoteTaken']);
    auditor.close();
    member.close();
  });

  it('pushes presence (entity ids, not persons) on join and leave, and answers it on request', async () => {
    const secretariat = await live.token('secretariat');
    const watcher = await live.connect(await live.token('delegate', 'interpol'));
    await watcher.subscribe('group:strategic');
    await watcher.next((m) => m.type === 'presence' && m.entities?.join() === 'interpol');
    const observer = await live.connect(await live.token('delegate', 'sco'));
    await observer.subscribe('group:strategic');
    await watcher.next((m) => m.type === 'presence' && m.entities?.join() === 'interpol,sco');
    const overseer = await live.connect(secretariat);
    await overseer.subscribe('group:strategic');
    overseer.send({ type: 'presence', topic: 'group:strategic' });
    expect(await overseer.next((m) => m.type === 'presence')).toEqual({
      type: 'presence',
      topic: 'group:strategic',
      entities: ['interpol', 'sco'],
    });
    observer.close();
    await watcher.next((m) => m.type === 'presence' && m.entities?.join() === 'interpol');
    watcher.close();
    overseer.close();
  });

  it('never lists an entity for secretariat or auditor tokens, even ones issued with an entity before that was refused', async () => {
    // Such tokens can no longer be issued: they are recorded as they were then.
    const legacy = async (role: 'secretariat' | 'auditor', entityId: string) => {
      const token = `dlg_${randomBytes(32).toString('base64url')}`;
      const tokenId = `legacy-${role}`;
      await live.runtime.store.append({
        streamId: tokenStream(tokenId),
        expectedVersion: 'no-stream',
        events: [
          {
            type: 'TokenIssued',
            data: { tokenId, tokenHash: hashToken(token), role, entityId, person: `legacy ${role}` },
          },
        ],
        metadata: { actor: { ...SYSTEM_ACTOR }, requestId: 'legacy-token' },
      });
      return token;
    };
    const auditor = await live.connect(await legacy('auditor', 'sco'));
    const secretariat = await live.connect(await legacy('secretariat', 'afripol'));
    const watcher = await live.connect(await live.token('delegate', 'interpol'));
    for (const client of [auditor, secretariat, watcher]) await client.subscribe('group:operational');
    watcher.send({ type: 'presence', topic: 'group:operational' });
    expect(await watcher.next((m) => m.type === 'presence' && m.topic === 'group:operational')).toEqual({
      type: 'presence',
      topic: 'group:operational',
      entities: ['interpol'],
    });
    for (const client of [auditor, secretariat, watcher]) client.close();
  });

  it('ends the subscriptions of an entity removed from a group at once, saying why, and refuses the group afterwards', async () => {
    const secretariat = await live.token('secretariat');
    const removed = await live.connect(await live.token('delegate', 'aimc'));
    const gccpol = await live.token('delegate', 'gccpol');
    const staying = await live.connect(gccpol);
    const submitted = await live.app.inject({
      method: 'POST',
      url: '/groups/operational/proposals',
      headers: { ...live.auth(gccpol), 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'Border data', body: 'Share it.' }),
    });
    const proposalTopic = `proposal:${submitted.json().id as string}`;
    await removed.subscribe('group:operational');
    await removed.subscribe(proposalTopic);
    await removed.subscribe('group:strategic');
    await staying.subscribe('group:operational');
    const response = await live.app.inject({
      method: 'DELETE',
      url: '/groups/operational/participants/aimc',
      headers: live.auth(secretariat),
    });
    expect(response.statusCode).toBe(200);
    await live.runtime.store.append(note('operational', 'dialogue', 'after the removal'));
    const last = live.app.liveHub.published;
    await staying.reach('group:operational', last);
    await staying.next((m) => m.type === 'presence' && m.entities?.join() === 'gccpol');
    removed.send({ type: 'ping' });
    await removed.next((m) => m.type === 'pong');
    expect(removed.events('group:operational').map((m) => m.position)).not.toContain(last);
    expect(await removed.next((m) => m.type === 'error' && m.topic === 'group:operational')).toMatchObject({
      code: 'forbidden',
      message: 'aimc no longer participates in operational: this subscription has ended',
    });
    expect(await removed.next((m) => m.type === 'error' && m.topic === proposalTopic)).toMatchObject({
      code: 'forbidden',
    });
    expect(removed.messages.filter((m) => m.type === 'error' && m.topic === 'group:strategic')).toEqual([]);
    expect(await removed.subscribe('group:operational')).toMatchObject({ type: 'error', code: 'forbidden' });
    removed.send({ type: 'presence', topic: 'group:operational' });
    expect(await removed.next((m) => m.type === 'error' && m.code === 'forbidden', removed.messages.length)).toEqual({
      type: 'error',
      code: 'forbidden',
      message: 'aimc does not participate in operational',
      topic: 'group:operational',
    });
    const again = await live.connect(await live.token('delegate', 'aimc'));
    expect(await again.subscribe('group:operational')).toMatchObject({
      type: 'error',
      code: 'forbidden',
      message: 'aimc does not participate in operational',
    });
    expect(await again.subscribe('group:tactical')).toMatchObject({ type: 'error', code: 'not-found' });
    for (const client of [removed, staying, again]) client.close();
  });
});
