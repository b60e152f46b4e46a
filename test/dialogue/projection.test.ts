import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DialogueEvent, entityStream, groupStream } from '../../src/dialogue/events';
import { dialogueProjection } from '../../src/dialogue/projection';
import { type Given, projectionSpec } from '../support/givenEvents';

const of = (event: DialogueEvent): Given => ({
  streamId: event.type === 'EntityRegistered' ? entityStream(event.data.entityId) : groupStream(event.data.groupId),
  ...event,
});
const registered = (entityId: string, kind: 'member' | 'observer' = 'member') =>
  of({ type: 'EntityRegistered', data: { entityId, name: `Name of ${entityId}`, kind } });
const formed = of({ type: 'GroupFormed', data: { groupId: 'strategic', name: 'Strategic' } });
const membership = (
  type: 'ParticipantAdded' | 'ParticipantRemoved' | 'ChairAppointed' | 'ChairRemoved',
  entityId: string,
  groupId = 'strategic',
) => of({ type, data: { groupId, entityId } });

let spec: Awaited<ReturnType<typeof projectionSpec>>;
beforeEach(async () => {
  spec = await projectionSpec(dialogueProjection);
});
afterEach(() => spec.close());

const rows = (table: string) => spec.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();

describe('the dialogue projection', () => {
  it('makes every registered entity a row with its name and kind', () => {
    spec.given(registered('sco', 'observer'), registered('afripol'));
    expect(rows('entities')).toEqual([
      { id: 'afripol', name: 'Name of afripol', kind: 'member' },
      { id: 'sco', name: 'Name of sco', kind: 'observer' },
    ]);
  });

  it('makes every formed group a row with its name', () => {
    spec.given(formed, of({ type: 'GroupFormed', data: { groupId: 'operational', name: 'Operational' } }));
    expect(rows('groups')).toEqual([
      { id: 'operational', name: 'Operational' },
      { id: 'strategic', name: 'Strategic' },
    ]);
  });

  it('lists the participants a group has gained and not lost, in each group', () => {
    spec.given(
      formed,
      membership('ParticipantAdded', 'afripol'),
      membership('ParticipantAdded', 'europol'),
      membership('ParticipantAdded', 'sco', 'operational'),
      membership('ParticipantRemoved', 'afripol'),
    );
    expect(rows('group_participants')).toEqual([
      { group_id: 'operational', entity_id: 'sco' },
      { group_id: 'strategic', entity_id: 'europol' },
    ]);
  });

  it('lists the chairs appointed and not removed', () => {
    spec.given(
      formed,
      membership('ParticipantAdded', 'afripol'),
      membership('ParticipantAdded', 'europol'),
      membership('ChairAppointed', 'afripol'),
      membership('ChairAppointed', 'europol'),
      membership('ChairRemoved', 'europol'),
    );
    expect(rows('group_chairs')).toEqual([{ group_id: 'strategic', entity_id: 'afripol' }]);
  });

  it('stops a participant that leaves the group chairing it, and only there', () => {
    spec.given(
      membership('ParticipantAdded', 'afripol'),
      membership('ParticipantAdded', 'afripol', 'operational'),
      membership('ChairAppointed', 'afripol'),
      membership('ChairAppointed', 'afripol', 'operational'),
      membership('ParticipantRemoved', 'afripol'),
    );
    expect(rows('group_chairs')).toEqual([{ group_id: 'operational', entity_id: 'afripol' }]);
    expect(rows('group_participants')).toEqual([{ group_id: 'operational', entity_id: 'afripol' }]);
  });

  it('moves the view generation with every event it folds, so that kept participation is read again', () => {
    const { generation } = spec;
    const before = generation.current();
    spec.given(membership('ParticipantAdded', 'afripol'), membership('ChairAppointed', 'afripol'));
    expect(generation.current()).toBe(before + 2);
  });
});
