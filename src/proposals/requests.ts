import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadRequest } from '../errors';
import { type Aggregate, type ClientExpectation, ifMatchVersion } from '../http/command';
import { Id } from '../http/schemas';
import { ProposalEvent } from './events';
import { evolveProposal, initialProposalState, type ProposalState } from './evolve';

/** How the proposal routes read a request: the aggregate to load, shared field schemas, version expectations. */
export const proposalAggregate: Aggregate<ProposalState, ProposalEvent> = {
  initial: initialProposalState,
  evolve: evolveProposal,
  parse: (event) => ProposalEvent.parse({ type: event.type, data: event.data }),
};

export const ProposalParams = z.strictObject({ id: Id });
export const Version = z.number().int().min(0);

/** `expectedVersion` in the body (409 on mismatch) or `If-Match` (412); both must agree when both are sent. */
export function expectation(request: FastifyRequest, bodyVersion: number | undefined): ClientExpectation | undefined {
  const header = ifMatchVersion(request);
  if (bodyVersion !== undefined && header !== undefined && bodyVersion !== header) {
    throw new BadRequest('expectedVersion and If-Match disagree', [{ path: 'body.expectedVersion', message: 'differs from If-Match' }]);
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  if (header !== undefined) return { version: header, via: 'if-match' };
  return undefined;
}
