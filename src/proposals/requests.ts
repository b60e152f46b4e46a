import { z } from 'zod';
import type { Decider } from '../commands/decider';
import { Id } from '../http/schemas';
import { ProposalEvent } from './events';
import { evolveProposal, initialProposalState, type ProposalState } from './evolve';

/** How the proposal routes read a request: the aggregate to load, shared field schemas, version expectations. */
export const proposalAggregate: Decider<ProposalState, ProposalEvent> = {
  initialState: initialProposalState,
  evolve: evolveProposal,
  parse: (event) => ProposalEvent.parse({ type: event.type, data: event.data }),
};

export const ProposalParams = z.strictObject({ id: Id });
