import type { Decider } from '../commands/decider';
import { oversees } from '../dialogue/actor';
import { type Participant, requireDelegate } from '../dialogue/participant';
import type { Visibility } from '../dialogue/visibility';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import { ProposalEvent } from './events';
import {
  about,
  type Decide,
  requireConsultationOpen,
  requireMember,
  requireOpen,
  requireVisible,
  type Visible,
} from './rules';
import { evolve, initialState, type ProposalState } from './state';

/** The commands, one per decision; a proposal is named by its id, the rest is what the caller asked. */
type Command<C> = { proposalId: string } & C;
export type SubmitProposal = Command<{
  groupId: string;
  title: string;
  body: string;
  pillars: string[];
  visibility: Visibility;
  /** When the consultation closes (ISO, UTC), or null; `now` is the clock's time of the request. */
  closesAt: string | null;
  now: string;
}>;
export type ReviseProposal = Command<{ title?: string | undefined; body?: string | undefined }>;
export type PostComment = Command<{ commentId: string; body: string; replyTo: string | null }>;
export type EndorseProposal = Command<{ note: string | null; now: string }>;
export type RaiseObjection = Command<{ reason: string; now: string }>;
export type WithdrawStance = { proposalId: string };
export type WithdrawProposal = Command<{ reason: string | null }>;
export type DecideProposal = Command<{ outcome: 'adopted' | 'rejected'; note: string; override: boolean }>;

export const submitProposal: Decide<SubmitProposal> = (state, who, command) => {
  if (!oversees(who.actor) && !who.groups.has(command.groupId))
    throw new NotFound(`no working group '${command.groupId}'`);
  const entityId = requireMember(who, 'submit proposals');
  if (!who.groups.has(command.groupId)) throw new Forbidden(`${entityId} does not participate in ${command.groupId}`);
  if (state.exists) throw new Conflict(`proposal '${command.proposalId}' already exists`);
  if (command.closesAt !== null && command.closesAt <= command.now)
    throw new BadRequest('closesAt must be in the future', [{ path: 'body.closesAt', message: 'is not after now' }]);
  const { proposalId, groupId, visibility, title, body, pillars, closesAt } = command;
  // Without a deadline the event keeps the shape it had before deadlines existed.
  const deadline = closesAt === null ? {} : { closesAt };
  return [
    {
      type: 'ProposalSubmitted',
      data: { proposalId, groupId, visibility, title, body, pillars, authorEntityId: entityId, ...deadline },
    },
  ];
};

export const reviseProposal: Decide<ReviseProposal> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'revise proposals');
  if (entityId !== state.authorEntityId)
    throw new Forbidden(`only the author entity (${state.authorEntityId}) revises this proposal`);
  requireOpen(state, 'be revised');
  const title = command.title ?? state.title;
  const body = command.body ?? state.body;
  if (title === state.title && body === state.body)
    throw new BadRequest('this revision changes neither the title nor the body');
  return [{ type: 'ProposalRevised', data: { ...about(state), revision: state.revision + 1, title, body } }];
};

export const postComment: Decide<PostComment> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'comment');
  if (command.replyTo !== null && !state.commentIds.has(command.replyTo)) {
    throw new BadRequest('replyTo must be a comment of this proposal', [
      { path: 'body.replyTo', message: `no comment '${command.replyTo}' on this proposal` },
    ]);
  }
  const { commentId, body, replyTo } = command;
  return [{ type: 'CommentPosted', data: { ...about(state), commentId, entityId, body, replyTo } }];
};

/** Endorsing and objecting share their rules: members, not the author entity, while open, once each. */
function requireStance(state: Visible, who: Participant, action: string, now: string): string {
  const entityId = requireMember(who, action);
  if (entityId === state.authorEntityId) throw new Forbidden(`${entityId} is the author entity; it may not ${action}`);
  requireOpen(state, `take ${action === 'endorse' ? 'endorsements' : 'objections'}`);
  requireConsultationOpen(state, now);
  return entityId;
}

export const endorseProposal: Decide<EndorseProposal> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireStance(state, who, 'endorse', command.now);
  if (state.endorsers.has(entityId)) throw new Conflict(`${entityId} has already endorsed this proposal`);
  if (state.objectors.has(entityId))
    throw new Conflict(`${entityId} objects to this proposal; withdraw the objection first`);
  return [
    { type: 'ProposalEndorsed', data: { ...about(state), entityId, revision: state.revision, note: command.note } },
  ];
};

export const withdrawEndorsement: Decide<WithdrawStance> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireMember(who, 'withdraw an endorsement');
  if (!state.endorsers.has(entityId)) throw new Conflict(`${entityId} has not endorsed this proposal`);
  requireOpen(state, 'change its endorsements');
  return [{ type: 'EndorsementWithdrawn', data: { ...about(state), entityId } }];
};

export const raiseObjection: Decide<RaiseObjection> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireStance(state, who, 'object', command.now);
  if (state.objectors.has(entityId)) throw new Conflict(`${entityId} has already objected to this proposal`);
  if (state.endorsers.has(entityId))
    throw new Conflict(`${entityId} endorses this proposal; withdraw the endorsement first`);
  return [{ type: 'ObjectionRaised', data: { ...about(state), entityId, reason: command.reason } }];
};

export const withdrawObjection: Decide<WithdrawStance> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireMember(who, 'withdraw an objection');
  if (!state.objectors.has(entityId)) throw new Conflict(`${entityId} has not objected to this proposal`);
  requireOpen(state, 'change its objections');
  return [{ type: 'ObjectionWithdrawn', data: { ...about(state), entityId } }];
};

export const withdrawProposal: Decide<WithdrawProposal> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'withdraw proposals');
  if (entityId !== state.authorEntityId)
    throw new Forbidden(`only the author entity (${state.authorEntityId}) withdraws this proposal`);
  requireOpen(state, 'be withdrawn');
  return [{ type: 'ProposalWithdrawn', data: { ...about(state), reason: command.reason } }];
};

export const decideProposal: Decide<DecideProposal> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'decide proposals');
  if (!who.chairs.has(state.groupId))
    throw new Forbidden(`${entityId} does not chair ${state.groupId}; only a chair entity decides`);
  requireOpen(state, 'be decided');
  const objections = [...state.objectors].sort();
  if (command.outcome === 'adopted' && objections.length > 0 && !command.override) {
    throw new Conflict(
      `${objections.length} open objection(s) (${objections.join(', ')}): adopting over them needs override: true and a note`,
    );
  }
  const overriddenObjections = command.outcome === 'adopted' ? objections : [];
  return [
    {
      type: 'ProposalDecided',
      data: {
        ...about(state),
        outcome: command.outcome,
        note: command.note,
        chairEntityId: entityId,
        overriddenObjections,
      },
    },
  ];
};

/** What the command layer needs of a proposal's stream: its state, its fold and how its events are read back. */
export const proposalDecider: Decider<ProposalState, ProposalEvent> = {
  initialState,
  evolve,
  parse: (event) => ProposalEvent.parse({ type: event.type, data: event.data }),
};
