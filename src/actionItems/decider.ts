import { oversees } from '../dialogue/actor';
import { type Participant, requireDelegate } from '../dialogue/participant';
import { maySee, type Visibility } from '../dialogue/visibility';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import type { Decider } from '../commands/decider';
import { ActionItemEvent } from './events';

export type ActionItemStatus = 'open' | 'done' | 'cancelled';

/** An action item as its own stream tells it: what its decisions need. */
export interface ActionItemState {
  exists: boolean;
  actionItemId: string;
  groupId: string;
  visibility: Visibility;
  ownerEntityId: string;
  status: ActionItemStatus;
  dueDate: string;
  percent: number;
  /** The due date it was last declared overdue for: that date never fires again, a new one may. */
  overdueFor: string | null;
}

export const initialState: ActionItemState = {
  exists: false,
  actionItemId: '',
  groupId: '',
  visibility: 'dialogue',
  ownerEntityId: '',
  status: 'open',
  dueDate: '',
  percent: 0,
  overdueFor: null,
};

export function evolve(state: ActionItemState, event: ActionItemEvent): ActionItemState {
  switch (event.type) {
    case 'ActionItemOpened': {
      const { actionItemId, groupId, visibility, ownerEntityId, dueDate } = event.data;
      return { ...initialState, exists: true, actionItemId, groupId, visibility, ownerEntityId, dueDate };
    }
    case 'ActionItemProgressed':
      return { ...state, percent: event.data.percent };
    case 'ActionItemCompleted':
      return { ...state, status: 'done' };
    case 'ActionItemReopened':
      return { ...state, status: 'open' };
    case 'ActionItemCancelled':
      return { ...state, status: 'cancelled' };
    case 'ActionItemDueDateChanged':
      return { ...state, dueDate: event.data.dueDate };
    case 'ActionItemBecameOverdue':
      return { ...state, overdueFor: event.data.dueDate };
  }
}

/** An action item's stream as the command layer folds it (`action-item-<id>`). */
export const actionItemDecider: Decider<ActionItemState, ActionItemEvent> = {
  initialState,
  evolve,
  parse: (event) => ActionItemEvent.parse({ type: event.type, data: event.data }),
};

type Existing = { exists: true } & ActionItemState;

/** The one visibility rule: participants of the group (and secretariat/auditor); `members` items not to observers. */
function requireVisible(state: ActionItemState, who: Participant, id: string): asserts state is Existing {
  if (!state.exists || !maySee(who.actor, who.groups.has(state.groupId), state.visibility))
    throw new NotFound(`no action item '${id}'`);
}

function requireChair(who: Participant, groupId: string, action: string): string {
  const entityId = requireDelegate(who, action);
  if (!who.chairs.has(groupId))
    throw new Forbidden(`${entityId} does not chair ${groupId}; only a chair entity may ${action}`);
  return entityId;
}

function requireOwnerOrChair(state: Existing, who: Participant, action: string): void {
  const entityId = requireDelegate(who, action);
  if (entityId !== state.ownerEntityId && !who.chairs.has(state.groupId)) {
    throw new Forbidden(`only the owner entity (${state.ownerEntityId}) or a chair entity may ${action}`);
  }
}

function requireStatus(state: Existing, allowed: ReadonlyArray<Existing['status']>, action: string): void {
  if (!allowed.includes(state.status)) throw new Conflict(`the action item is ${state.status}; it cannot be ${action}`);
}

const about = (state: Existing) => ({
  actionItemId: state.actionItemId,
  groupId: state.groupId,
  visibility: state.visibility,
});

export interface OpenActionItem {
  actionItemId: string;
  groupId: string;
  title: string;
  dueDate: string;
  /** The owner entity as the directory knows it, or undefined if there is no such entity. */
  owner: { id: string; kind: 'member' | 'observer'; participates: boolean } | undefined;
  ownerEntityId: string;
  /** The implemented proposal as the caller may see it (undefined if absent or hidden from the caller). */
  proposal: { id: string; groupId: string; status: string; visibility: Visibility } | undefined;
  proposalId: string | null;
}

export function openActionItem(state: ActionItemState, who: Participant, command: OpenActionItem): ActionItemEvent[] {
  if (!oversees(who.actor) && !who.groups.has(command.groupId))
    throw new NotFound(`no working group '${command.groupId}'`);
  requireChair(who, command.groupId, 'open action items');
  if (state.exists) throw new Conflict(`action item '${command.actionItemId}' already exists`);
  const { owner } = command;
  if (!owner) {
    throw new BadRequest('unknown owner entity', [
      { path: 'body.ownerEntityId', message: `no entity '${command.ownerEntityId}'` },
    ]);
  }
  if (owner.kind !== 'member')
    throw new Conflict(`${owner.id} is an observer entity; observers may not own action items`);
  if (!owner.participates) throw new Conflict(`${owner.id} does not participate in ${command.groupId}`);
  if (command.proposalId !== null) {
    const { proposal } = command;
    if (!proposal) throw new NotFound(`no proposal '${command.proposalId}'`);
    // Another group's proposal is answered like a missing one: its id says nothing about where it lives.
    if (proposal.groupId !== command.groupId) throw new NotFound(`no proposal '${command.proposalId}'`);
    if (proposal.status !== 'adopted')
      throw new Conflict(`proposal '${proposal.id}' is ${proposal.status}; only an adopted proposal is implemented`);
  }
  const { actionItemId, groupId, title, dueDate, proposalId } = command;
  // An item implementing a members-only proposal is members-only too: its title and link would reveal it.
  const visibility = command.proposal?.visibility ?? 'dialogue';
  return [
    {
      type: 'ActionItemOpened',
      data: { actionItemId, groupId, visibility, title, ownerEntityId: owner.id, dueDate, proposalId },
    },
  ];
}

export function recordProgress(
  state: ActionItemState,
  who: Participant,
  command: { id: string; percent: number; note: string },
): ActionItemEvent[] {
  requireVisible(state, who, command.id);
  requireOwnerOrChair(state, who, 'record progress');
  requireStatus(state, ['open'], 'progressed');
  return [{ type: 'ActionItemProgressed', data: { ...about(state), percent: command.percent, note: command.note } }];
}

export function completeActionItem(
  state: ActionItemState,
  who: Participant,
  command: { id: string; note: string | null },
): ActionItemEvent[] {
  requireVisible(state, who, command.id);
  requireOwnerOrChair(state, who, 'complete it');
  requireStatus(state, ['open'], 'completed');
  return [{ type: 'ActionItemCompleted', data: { ...about(state), note: command.note } }];
}

export function reopenActionItem(
  state: ActionItemState,
  who: Participant,
  command: { id: string; reason: string },
): ActionItemEvent[] {
  requireVisible(state, who, command.id);
  requireChair(who, state.groupId, 'reopen action items');
  requireStatus(state, ['done', 'cancelled'], 'reopened');
  return [{ type: 'ActionItemReopened', data: { ...about(state), reason: command.reason } }];
}

export function cancelActionItem(
  state: ActionItemState,
  who: Participant,
  command: { id: string; reason: string },
): ActionItemEvent[] {
  requireVisible(state, who, command.id);
  requireChair(who, state.groupId, 'cancel action items');
  requireStatus(state, ['open'], 'cancelled');
  return [{ type: 'ActionItemCancelled', data: { ...about(state), reason: command.reason } }];
}

export function changeDueDate(
  state: ActionItemState,
  who: Participant,
  command: { id: string; dueDate: string; reason: string },
): ActionItemEvent[] {
  requireVisible(state, who, command.id);
  requireChair(who, state.groupId, 'change due dates');
  requireStatus(state, ['open'], 'rescheduled');
  if (command.dueDate === state.dueDate) {
    throw new BadRequest(`the action item is already due on ${state.dueDate}`, [
      { path: 'body.dueDate', message: 'is the current due date' },
    ]);
  }
  return [
    {
      type: 'ActionItemDueDateChanged',
      data: { ...about(state), dueDate: command.dueDate, previousDueDate: state.dueDate, reason: command.reason },
    },
  ];
}
