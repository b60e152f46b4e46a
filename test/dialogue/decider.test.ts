import { describe, expect, it } from 'vitest';
import { givenFor } from '../support/decider';
import { addParticipant, appointChair, groupDecider, removeChair, removeParticipant } from '../../src/dialogue/decider';
import type { GroupEvent } from '../../src/dialogue/events';

const given = givenFor(groupDecider);
const formed: GroupEvent = { type: 'GroupFormed', data: { groupId: 'strategic', name: 'S' } };
const joined = (entityId: string): GroupEvent => ({
  type: 'ParticipantAdded',
  data: { groupId: 'strategic', entityId },
});
const member = (id: string) => ({ id, kind: 'member' as const });

describe('group decisions', () => {
  it('appoints a participating member entity as chair', () => {
    given(formed, joined('europol'))
      .when(appointChair, 'strategic', member('europol'))
      .then([{ type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } }]);
  });

  it('refuses to appoint an observer, a non-participant, or a chair twice', () => {
    const state = given(formed, joined('europol'), joined('sco'), {
      type: 'ChairAppointed',
      data: { groupId: 'strategic', entityId: 'europol' },
    });
    state.when(appointChair, 'strategic', { id: 'sco', kind: 'observer' }).thenThrows(/observer/);
    state.when(appointChair, 'strategic', member('frontex')).thenThrows(/does not participate/);
    state.when(appointChair, 'strategic', member('europol')).thenThrows(/already chairs/);
  });

  it('refuses anything on a group that was never formed', () => {
    given()
      .when(appointChair, 'nope', member('europol'))
      .thenThrows(/no working group/);
    given()
      .when(addParticipant, 'nope', member('europol'))
      .thenThrows(/no working group/);
  });

  it('removes only a chair that chairs', () => {
    const state = given(formed, joined('europol'), {
      type: 'ChairAppointed',
      data: { groupId: 'strategic', entityId: 'europol' },
    });
    state
      .when(removeChair, 'strategic', 'europol')
      .then([{ type: 'ChairRemoved', data: { groupId: 'strategic', entityId: 'europol' } }]);
    given(formed)
      .when(removeChair, 'strategic', 'europol')
      .thenThrows(/does not chair/);
  });

  it('adds a participant once and removes only a participant', () => {
    given(formed, joined('europol'))
      .when(addParticipant, 'strategic', member('europol'))
      .thenThrows(/already participates/);
    given(formed)
      .when(removeParticipant, 'strategic', 'europol')
      .thenThrows(/does not participate/);
  });

  it('stops a removed participant from chairing', () => {
    const { state } = given(
      formed,
      joined('europol'),
      { type: 'ChairAppointed', data: { groupId: 'strategic', entityId: 'europol' } },
      {
        type: 'ParticipantRemoved',
        data: { groupId: 'strategic', entityId: 'europol' },
      },
    );
    expect(state.chairs.has('europol')).toBe(false);
  });
});
