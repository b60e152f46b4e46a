import type { Firing } from '../deadlines/kind';
import { requireDelegate } from '../dialogue/participant';
import { BadRequest, Forbidden } from '../errors';
import type { ProposalEvent } from './events';
import { about, type Decide, requireOpen, requireVisible } from './rules';
import type { ProposalState } from './state';

/** A chair's new end of the consultation (null: none), with a reason; `now` is the clock's time of the request. */
export type RescheduleConsultation = { proposalId: string; closesAt: string | null; reason: string; now: string };

/**
 * A chair of the proposal's group moves the end of its consultation, or removes it, while the proposal is
 * open. A new end in the future reopens a consultation that had closed; an end in the past is refused: a
 * chair does not close a consultation early by moving its deadline, the deadline fires only at its time.
 */
export const rescheduleConsultation: Decide<RescheduleConsultation> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'reschedule consultations');
  if (!who.chairs.has(state.groupId))
    throw new Forbidden(`${entityId} does not chair ${state.groupId}; only a chair entity reschedules a consultation`);
  requireOpen(state, 'have its consultation rescheduled');
  const { closesAt, now, reason } = command;
  if (closesAt !== null && closesAt <= now)
    throw new BadRequest('closesAt must be in the future', [{ path: 'body.closesAt', message: 'is not after now' }]);
  if (closesAt === state.closesAt) {
    const current = closesAt === null ? 'has no deadline' : `already closes at ${closesAt}`;
    throw new BadRequest(`this changes nothing: the consultation ${current}`, [
      { path: 'body.closesAt', message: 'is the current deadline' },
    ]);
  }
  return [
    {
      type: 'ConsultationRescheduled',
      data: { ...about(state), closesAt, previousClosesAt: state.closesAt, reason },
    },
  ];
};

/**
 * The scheduler's firing of a consultation's deadline (kind `consultation`): the proposal is still open, its
 * deadline is still the one that fell due, and it was not closed for that deadline yet. Otherwise nothing.
 */
export function closeConsultation(state: ProposalState, firing: Firing): ProposalEvent[] {
  if (!state.exists || state.status !== 'open') return [];
  if (state.closesAt !== firing.dueAt || state.closedFor === firing.dueAt) return [];
  const { proposalId, groupId, visibility } = state;
  return [
    {
      type: 'ConsultationClosed',
      data: { proposalId, groupId, visibility, dueAt: firing.dueAt, firedAt: firing.firedAt },
    },
  ];
}
