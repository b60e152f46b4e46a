import type { DeadlineKind } from '../deadlines/kind';
import { closeConsultation } from './consultation';
import { proposalDecider } from './decider';
import { type ProposalEvent, proposalStream } from './events';
import type { ProposalQueries } from './queries';
import type { ProposalState } from './state';

/**
 * The end of a proposal's consultation (`closesAt`) as a deadline the scheduler fires: `ConsultationClosed`,
 * once per deadline, while the proposal is open (a moved deadline fires at its new time, a removed one never).
 */
export function consultationDeadline(
  queries: Pick<ProposalQueries, 'dueConsultations'>,
): DeadlineKind<ProposalState, ProposalEvent> {
  return {
    name: 'consultation',
    due: (now, limit) =>
      queries
        .dueConsultations(now.toISOString(), limit)
        .map(({ id, closesAt }) => ({ streamId: proposalStream(id), dueAt: closesAt })),
    decider: proposalDecider,
    fire: closeConsultation,
  };
}
