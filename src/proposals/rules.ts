import { type Participant, requireDelegate } from '../dialogue/participant';
import { maySee } from '../dialogue/visibility';
import { Conflict, Forbidden, NotFound } from '../errors';
import type { ProposalEvent } from './events';
import type { ProposalState } from './state';

/** The rules the proposal decisions share (decider.ts, consultation.ts). */

/** One decision: the events a command gives, from the proposal's state and who asks, or a domain error. */
export type Decide<C> = (state: ProposalState, who: Participant, command: C) => ProposalEvent[];

export type Visible = { exists: true } & ProposalState;

/** 404, never 403, for what the caller may not see: existence is not leaked. */
export function requireVisible(state: ProposalState, who: Participant, proposalId: string): asserts state is Visible {
  const participates = state.exists && who.groups.has(state.groupId);
  if (!state.exists || !maySee(who.actor, participates, state.visibility))
    throw new NotFound(`no proposal '${proposalId}'`);
}

export function requireMember(who: Participant, action: string): string {
  const entityId = requireDelegate(who, action);
  if (who.actor.entityKind !== 'member')
    throw new Forbidden(`${entityId} is an observer entity; observers may not ${action}`);
  return entityId;
}

export function requireOpen(state: ProposalState, action: string): void {
  if (state.status !== 'open') throw new Conflict(`the proposal is ${state.status}; it can no longer ${action}`);
}

/**
 * Judged on the clock, not on `ConsultationClosed`: between the deadline and its firing the consultation is
 * already closed, so that gap cannot be used to slip in a late stance.
 */
export function requireConsultationOpen(state: ProposalState, now: string): void {
  if (state.closesAt !== null && state.closesAt <= now)
    throw new Conflict(`the consultation closed at ${state.closesAt}`);
}

export const about = (state: Visible) => ({
  proposalId: state.proposalId,
  groupId: state.groupId,
  visibility: state.visibility,
});
