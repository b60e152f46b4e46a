import type { Visibility } from '../dialogue/visibility';
import type { ProposalEvent, ProposalStatus } from './events';
import { GrowingSet } from './growingSet';

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
  /** When the consultation closes (ISO, UTC), or null: no deadline. */
  closesAt: string | null;
  /** The `closesAt` the server last closed the consultation for: that deadline never fires again. */
  closedFor: string | null;
}

export const initialState: ProposalState = {
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
  closesAt: null,
  closedFor: null,
};

const add = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => new Set([...set, id]);
const remove = (set: ReadonlySet<string>, id: string): ReadonlySet<string> =>
  new Set([...set].filter((item) => item !== id));

export function evolve(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalSubmitted': {
      const { proposalId, groupId, visibility, authorEntityId, title, body } = event.data;
      return {
        ...initialState,
        exists: true,
        proposalId,
        groupId,
        visibility,
        authorEntityId,
        title,
        body,
        revision: 1,
        closesAt: event.data.closesAt ?? null,
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
    case 'ConsultationRescheduled':
      return { ...state, closesAt: event.data.closesAt };
    case 'ConsultationClosed':
      return { ...state, closedFor: event.data.dueAt };
  }
}
