import type { EventMetadata } from '../../src/eventStore/types';
import { ENTITIES } from '../../src/dialogue/reference';
import type { CommentPosted, ProposalSubmitted } from '../../src/proposals/events';

/**
 * The proposal events the benchmark writes at library level (append, generated logs), shaped like the
 * proposals slice's events so that its inline projection folds them as it folds real ones.
 */
export const MEMBERS = ENTITIES.filter((entity) => entity.kind === 'member').map((entity) => entity.id);

export const proposalStream = (proposalId: string) => `proposal-${proposalId}`;

export function proposalId(index: number): string {
  return `bench${String(index).padStart(7, '0')}`;
}

export function authorOf(index: number): string {
  return MEMBERS[index % MEMBERS.length] ?? 'europol';
}

export function proposalSubmitted(index: number, groupId: string): ProposalSubmitted {
  const id = proposalId(index);
  return {
    type: 'ProposalSubmitted',
    data: {
      proposalId: id,
      groupId,
      visibility: 'dialogue',
      title: `Shared alert format for cross-border notices, draft ${index}`,
      body: 'Regional bodies agree to exchange alerts in one structured format so that each can route them without re-keying.',
      pillars: ['platform-for-plans'],
      authorEntityId: authorOf(index),
    },
  };
}

/** Comment ids are unique per process whatever the callers' sequences (the view keys comments by id). */
let commentCounter = 0;

export function commentAdded(index: number, groupId: string, sequence: number): CommentPosted {
  commentCounter += 1;
  return {
    type: 'CommentPosted',
    data: {
      proposalId: proposalId(index),
      groupId,
      visibility: 'dialogue',
      commentId: `c${index}-${sequence}-${commentCounter}`,
      entityId: MEMBERS[(index + sequence + 1) % MEMBERS.length] ?? 'interpol',
      body: `Comment ${sequence}: we support the format and propose a review of the field list after six months.`,
      replyTo: null,
    },
  };
}

export function delegateMetadata(entityId: string, requestId: string): EventMetadata {
  return { actor: { entityId, person: `Delegate of ${entityId}`, role: 'delegate' }, requestId };
}
