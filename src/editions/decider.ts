import type { Actor } from '../dialogue/actor';
import type { EntityRow } from '../dialogue/directory';
import type { Visibility } from '../dialogue/visibility';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import type { EditionEvent } from './events';
import type { EditionState } from './state';

/**
 * The edition's own decisions: scheduling it, its agenda and its attendance (the declaration's are in
 * `declaration/`). Everything read outside the stream (the number's owner, entities, proposals) is data.
 */
type Who = Pick<Actor, 'role'>;
type Existing = EditionState & { exists: true };

function requireSecretariat(who: Who, action: string): void {
  if (who.role !== 'secretariat')
    throw new Forbidden(`only the secretariat may ${action}; this token's role is ${who.role}`);
}

function requireEdition(state: EditionState, editionId: string): asserts state is Existing {
  if (!state.exists) throw new NotFound(`no edition '${editionId}'`);
}

/** Once the declaration is adopted the edition's record is closed: what it says was agreed by who attended. */
function requireOpenRecord(state: Existing): void {
  if (state.declaration?.status === 'adopted')
    throw new Conflict(`the declaration of edition ${state.number} is adopted; its agenda and attendance are closed`);
}

export interface ScheduleEdition {
  editionId: string;
  number: number;
  title: string;
  startsOn: string;
  endsOn: string;
  venue: string;
  hostEntityId: string | null;
  /** The host entity as the directory knows it (undefined: no such entity). */
  host: EntityRow | undefined;
  /** The edition that already has this number, if one does. */
  numberTakenBy: string | undefined;
}

export function scheduleEdition(state: EditionState, who: Who, command: ScheduleEdition): EditionEvent[] {
  requireSecretariat(who, 'schedule editions');
  if (state.exists) throw new Conflict(`edition '${command.editionId}' already exists`);
  if (command.endsOn < command.startsOn) {
    throw new BadRequest('an edition cannot end before it starts', [
      { path: 'body.endsOn', message: `is before startsOn (${command.startsOn})` },
    ]);
  }
  if (command.hostEntityId !== null && !command.host) {
    throw new BadRequest('unknown host entity', [
      { path: 'body.hostEntityId', message: `no entity '${command.hostEntityId}'` },
    ]);
  }
  if (command.numberTakenBy !== undefined)
    throw new Conflict(`edition number ${command.number} is already edition '${command.numberTakenBy}'`);
  const { editionId, number, title, startsOn, endsOn, venue, hostEntityId } = command;
  return [{ type: 'EditionScheduled', data: { editionId, number, title, startsOn, endsOn, venue, hostEntityId } }];
}

/** A proposal as the route found it for the caller: undefined when it does not exist or is hidden from them. */
export interface AgendaProposal {
  id: string;
  groupId: string;
  visibility: Visibility;
}

export function addAgendaItem(
  state: EditionState,
  who: Who,
  command: { editionId: string; proposalId: string; proposal: AgendaProposal | undefined },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'change the agenda');
  const { proposal } = command;
  if (!proposal) throw new NotFound(`no proposal '${command.proposalId}'`);
  requireOpenRecord(state);
  if (state.agenda.some((entry) => entry.proposalId === proposal.id))
    throw new Conflict(`proposal '${proposal.id}' is already on the agenda`);
  const { groupId, visibility } = proposal;
  return [
    { type: 'AgendaItemAdded', data: { editionId: state.editionId, proposalId: proposal.id, groupId, visibility } },
  ];
}

export function removeAgendaItem(
  state: EditionState,
  who: Who,
  command: { editionId: string; proposalId: string },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'change the agenda');
  const entry = state.agenda.find((item) => item.proposalId === command.proposalId);
  if (!entry) throw new NotFound(`proposal '${command.proposalId}' is not on the agenda`);
  requireOpenRecord(state);
  return [{ type: 'AgendaItemRemoved', data: { editionId: state.editionId, ...entry } }];
}

export function recordAttendance(
  state: EditionState,
  who: Who,
  command: { editionId: string; entityId: string; entity: EntityRow | undefined; delegates: readonly string[] },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'record attendance');
  const { entity } = command;
  if (!entity) {
    throw new BadRequest('unknown entity', [{ path: 'body.entityId', message: `no entity '${command.entityId}'` }]);
  }
  requireOpenRecord(state);
  const delegates = [...command.delegates];
  const current = state.attendance.get(entity.id);
  if (current && sameNames(current.delegates, delegates))
    throw new Conflict(`${entity.id}'s attendance is already recorded with these delegates`);
  return [
    {
      type: 'AttendanceRecorded',
      data: { editionId: state.editionId, entityId: entity.id, entityKind: entity.kind, delegates },
    },
  ];
}

export function withdrawAttendance(
  state: EditionState,
  who: Who,
  command: { editionId: string; entityId: string },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'record attendance');
  if (!state.attendance.has(command.entityId))
    throw new NotFound(`${command.entityId} is not recorded as attending edition ${state.number}`);
  requireOpenRecord(state);
  return [{ type: 'AttendanceWithdrawn', data: { editionId: state.editionId, entityId: command.entityId } }];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
