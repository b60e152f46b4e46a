import { describe, expect, it } from 'vitest';
import {
  addParticipant,
  appointChair,
  evolveGroup,
  type GroupState,
  initialGroupState,
  removeChair,
  removeParticipant,
} from '../../src/dialogue/decide';
import type { GroupEvent } from '../../src/dialogue/events';

const given = (...events: GroupEvent[]): GroupState => events.reduce(evolveGroup, initialGroupState);
const formed: GroupEvent = { type: 'GroupFormed', data: { groupId: 'strategic', name: 'S' } };
const joined = (entityId: string): GroupEvent => ({ type: 'ParticipantAdded', data: { groupId: 'strategic', entityId } });
const member = (id: string) => ({ id, kind: 'member' as const });

describe('group decisions', () => {
  it('appoints a participating member entity as chair', () => {
    expect(appointChair(given(formed, joined('europol')), 'strategic', member('europol'))).toEqual([
      { type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } },
    ]);
  });

  it('refuses to appoint an observer, a non-participant, or a chair twice', () => {
    const state = given(formed, joined('europol'), joined('sco'), { type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } });
    expect(() => appointChair(state, 'strategic', { id: 'sco', kind: 'observer' })).toThrow(/observer/);
    expect(() => appointChair(state, 'strategic', member('frontex'))).toThrow(/does not participate/);
    expect(() => appointChair(state, 'strategic', member('europol'))).toThrow(/already chairs/);
  });

  it('refuses anything on a group that was never formed', () => {
    expect(() => appointChair(initialGroupState, 'nope', member('europol'))).toThrow(/no working group/);
    expect(() => addParticipant(initialGroupState, 'nope', member('europol'))).toThrow(/no working group/);
  });

  it('removes only a chair that chairs', () => {
    const state = given(formed, joined('europol'), { type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } });
    expect(removeChair(state, 'strategic', 'europol')).toEqual([{ type: 'ChairRemoved', data: { groupId: 'strategic', entityId: 'europol' } }]);
    expect(() => removeChair(given(formed), 'strategic', 'europol')).toThrow(/does not chair/);
  });

  it('adds a participant once and removes only a participant', () => {
    expect(() => addParticipant(given(formed, joined('europol')), 'strategic', member('europol'))).toThrow(/already participates/);
    expect(() => removeParticipant(given(formed), 'strategic', 'europol')).toThrow(/does not participate/);
  });

  it('stops a removed participant from chairing', () => {
    const state = given(formed, joined('europol'), { type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } }, {
      type: 'ParticipantRemoved',
      data: { groupId: 'strategic', entityId: 'europol' },
    });
    expect(state.chairs.has('europol')).toBe(false);
  });
});
