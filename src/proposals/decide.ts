import { oversees } from '../dialogue/actor';
import { type Participant, requireDelegate } from '../dialogue/participant';
import { maySee, type Visibility } from '../dialogue/visibility';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import type { ProposalEvent } from './events';
import type { ProposalState } from './evolve';

type Visible = { exists: true } & ProposalState;

/** 404, never 403, for what the caller may not see: existence is not leaked. */
function requireVisible(state: ProposalState, who: Participant, proposalId: string): asserts state is Visible {
  const participates = state.exists && who.groups.has(state.groupId);
  if (!state.exists || !maySee(who.actor, participates, state.visibility))
    throw new NotFound(`no proposal '${proposalId}'`);
}

function requireMember(who: Participant, action: string): string {
  const entityId = requireDelegate(who, action);
  if (who.actor.entityKind !== 'member')
    throw new Forbidden(`${entityId} is an observer entity; observers may not ${action}`);
  return entityId;
}

function requireOpen(state: ProposalState, action: string): void {
  if (state.status !== 'open') throw new Conflict(`the proposal is ${state.status}; it can no longer ${action}`);
}

const about = (state: Visible) => ({
  proposalId: state.proposalId,
  groupId: state.groupId,
  visibility: state.visibility,
});

export interface SubmitProposal {
  proposalId: string;
  groupId: string;
  title: string;
  body: string;
  pillars: string[];
  visibility: Visibility;
}

export function submitProposal(state: ProposalState, who: Participant, command: SubmitProposal): ProposalEvent[] {
  if (!oversees(who.actor) && !who.groups.has(command.groupId))
    throw new NotFound(`no working group '${command.groupId}'`);
  const entityId = requireMember(who, 'submit proposals');
  if (!who.groups.has(command.groupId)) throw new Forbidden(`${entityId} does not participate in ${command.groupId}`);
  if (state.exists) throw new Conflict(`proposal '${command.proposalId}' already exists`);
  const { proposalId, groupId, visibility, title, body, pillars } = command;
  return [
    {
      type: 'ProposalSubmitted',
      data: { proposalId, groupId, visibility, title, body, pillars, authorEntityId: entityId },
    },
  ];
}

export function reviseProposal(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; title?: string | undefined; body?: string | undefined },
): ProposalEvent[] {
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
}

export function postComment(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; commentId: string; body: string; replyTo: string | null },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'comment');
  if (command.replyTo !== null && !state.commentIds.has(command.replyTo)) {
    throw new BadRequest('replyTo must be a comment of this proposal', [
      { path: 'body.replyTo', message: `no comment '${command.replyTo}' on this proposal` },
    ]);
  }
  const { commentId, body, replyTo } = command;
  return [{ type: 'CommentPosted', data: { ...about(state), commentId, entityId, body, replyTo } }];
}

/** Endorsing and objecting share their rules: members, not the author entity, while open, once each. */
function requireStance(state: Visible, who: Participant, action: string): string {
  const entityId = requireMember(who, action);
  if (entityId === state.authorEntityId) throw new Forbidden(`${entityId} is the author entity; it may not ${action}`);
  requireOpen(state, `take ${action === 'endorse' ? 'endorsements' : 'objections'}`);
  return entityId;
}

export function endorseProposal(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; note: string | null },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireStance(state, who, 'endorse');
  if (state.endorsers.has(entityId)) throw new Conflict(`${entityId} has already endorsed this proposal`);
  if (state.objectors.has(entityId))
    throw new Conflict(`${entityId} objects to this proposal; withdraw the objection first`);
  return [
    { type: 'ProposalEndorsed', data: { ...about(state), entityId, revision: state.revision, note: command.note } },
  ];
}

export function withdrawEndorsement(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireMember(who, 'withdraw an endorsement');
  if (!state.endorsers.has(entityId)) throw new Conflict(`${entityId} has not endorsed this proposal`);
  requireOpen(state, 'change its endorsements');
  return [{ type: 'EndorsementWithdrawn', data: { ...about(state), entityId } }];
}

export function raiseObjection(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; reason: string },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireStance(state, who, 'object');
  if (state.objectors.has(entityId)) throw new Conflict(`${entityId} has already objected to this proposal`);
  if (state.endorsers.has(entityId))
    throw new Conflict(`${entityId} endorses this proposal; withdraw the endorsement first`);
  return [{ type: 'ObjectionRaised', data: { ...about(state), entityId, reason: command.reason } }];
}

export function withdrawObjection(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireMember(who, 'withdraw an objection');
  if (!state.objectors.has(entityId)) throw new Conflict(`${entityId} has not objected to this proposal`);
  requireOpen(state, 'change its objections');
  return [{ type: 'ObjectionWithdrawn', data: { ...about(state), entityId } }];
}

export function withdrawProposal(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; reason: string | null },
): ProposalEvent[] {
  requireVisible(state, who, command.proposalId);
  const entityId = requireDelegate(who, 'withdraw proposals');
  if (entityId !== state.authorEntityId)
    throw new Forbidden(`only the author entity (${state.authorEntityId}) withdraws this proposal`);
  requireOpen(state, 'be withdrawn');
  return [{ type: 'ProposalWithdrawn', data: { ...about(state), reason: command.reason } }];
}

export function decideProposal(
  state: ProposalState,
  who: Participant,
  command: { proposalId: string; outcome: 'adopted' | 'rejected'; note: string; override: boolean },
): ProposalEvent[] {
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
}
