import type { Visibility } from '../dialogue/visibility';
import type { ProposalEvent, ProposalStatus } from './events';

/** What the decisions about one proposal need to know, folded from its own stream. */
export interface ProposalState {
  exists: boolean;
  proposalId: string;
  groupId: string;
  visibility: Visibility;
  status: ProposalStatus;
  authorEntityId: string;
  revision: number;
  title: string;
  body: string;
  endorsers: ReadonlySet<string>;
  objectors: ReadonlySet<string>;
  commentIds: GrowingSet;
}

/**
 * An immutable set that only grows, for ids that accumulate over a long deliberation (comments): adding to
 * the newest state shares its storage instead of copying it (copying made every comment cost as much as
 * the comments before it). Each state sees only the first `size` entries of the shared index, so an older
 * state stays what it was; adding to an older state, which a fold never does, copies.
 */
export class GrowingSet {
  private constructor(
    private readonly shared: { index: Map<string, number>; size: number },
    readonly size: number,
  ) {}

  static empty(): GrowingSet {
    return new GrowingSet({ index: new Map(), size: 0 }, 0);
  }

  has(id: string): boolean {
    const at = this.shared.index.get(id);
    return at !== undefined && at < this.size;
  }

  with(id: string): GrowingSet {
    if (this.has(id)) return this;
    let shared = this.shared;
    if (shared.size !== this.size) {
      shared = { index: new Map([...shared.index].filter(([, at]) => at < this.size)), size: this.size };
    }
    shared.index.set(id, this.size);
    shared.size = this.size + 1;
    return new GrowingSet(shared, this.size + 1);
  }
}

export const initialProposalState: ProposalState = {
  exists: false,
  proposalId: '',
  groupId: '',
  visibility: 'dialogue',
  status: 'open',
  authorEntityId: '',
  revision: 0,
  title: '',
  body: '',
  endorsers: new Set(),
  objectors: new Set(),
  commentIds: GrowingSet.empty(),
};

const add = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => new Set([...set, id]);
const remove = (set: ReadonlySet<string>, id: string): ReadonlySet<string> =>
  new Set([...set].filter((item) => item !== id));

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalSubmitted': {
      const { proposalId, groupId, visibility, authorEntityId, title, body } = event.data;
      return {
        ...initialProposalState,
        exists: true,
        proposalId,
        groupId,
        visibility,
        authorEntityId,
        title,
        body,
        revision: 1,
      };
    }
    case 'ProposalRevised':
      return { ...state, revision: event.data.revision, title: event.data.title, body: event.data.body };
    case 'CommentPosted':
      return { ...state, commentIds: state.commentIds.with(event.data.commentId) };
    case 'ProposalEndorsed':
      return { ...state, endorsers: add(state.endorsers, event.data.entityId) };
    case 'EndorsementWithdrawn':
      return { ...state, endorsers: remove(state.endorsers, event.data.entityId) };
    case 'ObjectionRaised':
      return { ...state, objectors: add(state.objectors, event.data.entityId) };
    case 'ObjectionWithdrawn':
      return { ...state, objectors: remove(state.objectors, event.data.entityId) };
    case 'ProposalWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ProposalDecided':
      return { ...state, status: event.data.outcome };
  }
}
