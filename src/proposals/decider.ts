import type { Decider } from '../commands/decider';
import { oversees } from '../dialogue/actor';
import { type Participant, requireDelegate } from '../dialogue/participant';
import { maySee, type Visibility } from '../dialogue/visibility';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors';
import { ProposalEvent, type ProposalStatus } from './events';
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

/** One decision: the events a command gives, from the proposal's state and who asks, or a domain error. */
type Decide<C> = (state: ProposalState, who: Participant, command: C) => ProposalEvent[];

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

/** The commands, one per decision; a proposal is named by its id, the rest is what the caller asked. */
type Command<C> = { proposalId: string } & C;
export type SubmitProposal = Command<{
  groupId: string;
  title: string;
  body: string;
  pillars: string[];
  visibility: Visibility;
}>;
export type ReviseProposal = Command<{ title?: string | undefined; body?: string | undefined }>;
export type PostComment = Command<{ commentId: string; body: string; replyTo: string | null }>;
export type EndorseProposal = Command<{ note: string | null }>;
export type RaiseObjection = Command<{ reason: string }>;
export type WithdrawStance = { proposalId: string };
export type WithdrawProposal = Command<{ reason: string | null }>;
export type DecideProposal = Command<{ outcome: 'adopted' | 'rejected'; note: string; override: boolean }>;

export const submitProposal: Decide<SubmitProposal> = (state, who, command) => {
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
function requireStance(state: Visible, who: Participant, action: string): string {
  const entityId = requireMember(who, action);
  if (entityId === state.authorEntityId) throw new Forbidden(`${entityId} is the author entity; it may not ${action}`);
  requireOpen(state, `take ${action === 'endorse' ? 'endorsements' : 'objections'}`);
  return entityId;
}

export const endorseProposal: Decide<EndorseProposal> = (state, who, command) => {
  requireVisible(state, who, command.proposalId);
  const entityId = requireStance(state, who, 'endorse');
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
  const entityId = requireStance(state, who, 'object');
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
