import type { Decider } from '../commands/decider';
import { Conflict, NotFound } from '../errors';
import { type EntityKind, GroupEvent } from './events';

/** A working group as its own stream tells it. */
export interface GroupState {
  exists: boolean;
  participants: ReadonlySet<string>;
  chairs: ReadonlySet<string>;
}

export const initialState: GroupState = { exists: false, participants: new Set(), chairs: new Set() };

export function evolve(state: GroupState, event: GroupEvent): GroupState {
  const with_ = (set: ReadonlySet<string>, id: string) => new Set([...set, id]);
  const without = (set: ReadonlySet<string>, id: string) => new Set([...set].filter((item) => item !== id));
  switch (event.type) {
    case 'GroupFormed':
      return { ...state, exists: true };
    case 'ParticipantAdded':
      return { ...state, participants: with_(state.participants, event.data.entityId) };
    case 'ParticipantRemoved':
      // A chair that leaves the group stops chairing it.
      return {
        ...state,
        participants: without(state.participants, event.data.entityId),
        chairs: without(state.chairs, event.data.entityId),
      };
    case 'ChairAppointed':
      return { ...state, chairs: with_(state.chairs, event.data.entityId) };
    case 'ChairRemoved':
      return { ...state, chairs: without(state.chairs, event.data.entityId) };
  }
}

/** A group's stream as the command layer folds it (`group-<id>`). */
export const groupDecider: Decider<GroupState, GroupEvent> = {
  initialState,
  evolve,
  parse: (event) => GroupEvent.parse({ type: event.type, data: event.data }),
};

export interface EntityFacts {
  id: string;
  kind: EntityKind;
}

function requireGroup(state: GroupState, groupId: string): void {
  if (!state.exists) throw new NotFound(`no working group '${groupId}'`);
}

export function appointChair(state: GroupState, groupId: string, entity: EntityFacts): GroupEvent[] {
  requireGroup(state, groupId);
  if (entity.kind !== 'member') throw new Conflict(`${entity.id} is an observer; only a member entity can chair`);
  if (!state.participants.has(entity.id)) throw new Conflict(`${entity.id} does not participate in ${groupId}`);
  if (state.chairs.has(entity.id)) throw new Conflict(`${entity.id} already chairs ${groupId}`);
  return [{ type: 'ChairAppointed', data: { groupId, entityId: entity.id } }];
}

export function removeChair(state: GroupState, groupId: string, entityId: string): GroupEvent[] {
  requireGroup(state, groupId);
  if (!state.chairs.has(entityId)) throw new Conflict(`${entityId} does not chair ${groupId}`);
  return [{ type: 'ChairRemoved', data: { groupId, entityId } }];
}

export function addParticipant(state: GroupState, groupId: string, entity: EntityFacts): GroupEvent[] {
  requireGroup(state, groupId);
  if (state.participants.has(entity.id)) throw new Conflict(`${entity.id} already participates in ${groupId}`);
  return [{ type: 'ParticipantAdded', data: { groupId, entityId: entity.id } }];
}

export function removeParticipant(state: GroupState, groupId: string, entityId: string): GroupEvent[] {
  requireGroup(state, groupId);
  if (!state.participants.has(entityId)) throw new Conflict(`${entityId} does not participate in ${groupId}`);
  return [{ type: 'ParticipantRemoved', data: { groupId, entityId } }];
}
