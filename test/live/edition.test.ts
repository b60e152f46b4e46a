import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { type EditionEvent, editionStream } from '../../src/editions/events';
import { createLiveApp, type LiveContext } from './support';

let live: LiveContext;
beforeAll(async () => {
  live = await createLiveApp();
});
afterAll(async () => live.close());

/** Appends an edition's events as the store takes them (the edition routes' own tests go through HTTP). */
async function record(editionId: string, events: EditionEvent[]): Promise<number> {
  const outcome = await live.runtime.store.append({
    streamId: editionStream(editionId),
    expectedVersion: 'any',
    events,
    metadata: { actor: { ...SYSTEM_ACTOR }, requestId: 'edition-test' },
  });
  if (outcome.kind !== 'appended') throw new Error('not appended');
  return outcome.appended.position;
}

let number = 0;
const scheduled = (editionId: string): EditionEvent => ({
  type: 'EditionScheduled',
  data: {
    editionId,
    number: ++number,
    title: 'Seventh Dialogue',
    startsOn: '2026-11-02',
    endsOn: '2026-11-03',
    venue: 'Lyon',
    hostEntityId: null,
  },
});

const agendaItem = (editionId: string, proposalId: string, visibility: 'dialogue' | 'members'): EditionEvent => ({
  type: 'AgendaItemAdded',
  data: { editionId, proposalId, groupId: 'operational', visibility },
});

describe('the edition topic', () => {
  it('is open to every token for an edition that exists, and not-found otherwise', async () => {
    await record('e1', [scheduled('e1')]);
    const observer = await live.connect(await live.token('delegate', 'sco'));
    expect((await observer.subscribe('edition:e1')).type).toBe('subscribed');
    const refused = await observer.subscribe('edition:nope');
    expect(refused).toMatchObject({ type: 'error', code: 'not-found', topic: 'edition:nope' });
    observer.close();
  });

  it("delivers an edition's events live and in catch-up, its agenda only to who may see the proposal", async () => {
    const secretariat = await live.token('secretariat');
    const removed = await live.app.inject({
      method: 'DELETE',
      url: '/groups/operational/participants/eco',
      headers: live.auth(secretariat),
    });
    expect(removed.statusCode).toBe(200);
    const start = await record('e2', [scheduled('e2')]);
    const observer = await live.connect(await live.token('delegate', 'sco'));
    const member = await live.connect(await live.token('delegate', 'europol'));
    const outsider = await live.connect(await live.token('delegate', 'eco'));
    for (const client of [observer, member, outsider]) await client.subscribe('edition:e2');
    await record('e2', [agendaItem('e2', 'p-members', 'members'), agendaItem('e2', 'p-dialogue', 'dialogue')]);
    const last = await record('e2', [
      {
        type: 'AttendanceRecorded',
        data: { editionId: 'e2', entityId: 'sco', entityKind: 'observer', delegates: ['A'] },
      },
    ]);
    for (const client of [observer, member, outsider]) await client.reach('edition:e2', last);
    const seen = (client: typeof member) =>
      client.events('edition:e2').map((m) => [m.event?.type, m.event?.data.proposalId ?? null, m.view]);
    expect(seen(member)).toEqual([
      ['AgendaItemAdded', 'p-members', null],
      ['AgendaItemAdded', 'p-dialogue', null],
      ['AttendanceRecorded', null, null],
    ]);
    expect(seen(observer)).toEqual([
      ['AgendaItemAdded', 'p-dialogue', null],
      ['AttendanceRecorded', null, null],
    ]);
    // Outside the operational group: neither agenda item, but the edition's own events.
    expect(seen(outsider)).toEqual([['AttendanceRecorded', null, null]]);

    const late = await live.connect(await live.token('delegate', 'sco'));
    await late.subscribe('edition:e2', start - 1);
    await late.reach('edition:e2', last);
    expect(late.events('edition:e2').map((m) => m.event?.type)).toEqual([
      'EditionScheduled',
      'AgendaItemAdded',
      'AttendanceRecorded',
    ]);
    for (const client of [observer, member, outsider, late]) client.close();
  });

  it("keeps an edition's events off the group topics, and on the auditors' log", async () => {
    await record('e3', [scheduled('e3')]);
    const auditor = await live.connect(await live.token('auditor'));
    const member = await live.connect(await live.token('delegate', 'europol'));
    await auditor.subscribe('log');
    await member.subscribe('group:operational');
    const last = await record('e3', [agendaItem('e3', 'p-x', 'dialogue')]);
    await auditor.reach('log', last);
    expect(auditor.events('log').at(-1)?.event?.type).toBe('AgendaItemAdded');
    member.send({ type: 'ping' });
    await member.next((m) => m.type === 'pong');
    expect(member.events('group:operational')).toEqual([]);
    auditor.close();
    member.close();
  });

  it("sends a declaration's draft only to who may see every proposal it was drafted from", async () => {
    const europol = await live.token('delegate', 'europol');
    const submitted = await live.app.inject({
      method: 'POST',
      url: '/groups/operational/proposals',
      headers: { ...live.auth(europol), 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'Source', body: 'Its text.' }),
    });
    const proposalId: string = submitted.json().id;
    await record('e4', [scheduled('e4')]);
    const member = await live.connect(europol);
    // eco takes no part in the operational group (the test above removed it).
    const outsider = await live.connect(await live.token('delegate', 'eco'));
    for (const client of [member, outsider]) await client.subscribe('edition:e4');
    await record('e4', [
      {
        type: 'DeclarationDrafted',
        data: { editionId: 'e4', revision: 1, paragraphs: [{ text: 'T', sourceProposalId: proposalId }] },
      },
    ]);
    const last = await record('e4', [
      {
        type: 'AttendanceRecorded',
        data: { editionId: 'e4', entityId: 'eco', entityKind: 'member', delegates: ['C'] },
      },
    ]);
    for (const client of [member, outsider]) await client.reach('edition:e4', last);
    expect(member.events('edition:e4').map((m) => m.event?.type)).toEqual(['DeclarationDrafted', 'AttendanceRecorded']);
    expect(outsider.events('edition:e4').map((m) => m.event?.type)).toEqual(['AttendanceRecorded']);
    member.close();
    outsider.close();
  });
});
