import { describe, expect, it } from 'vitest';
import type { Participant } from '../../src/dialogue/participant';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors';
import * as decide from '../../src/proposals/decide';
import type { ProposalEvent } from '../../src/proposals/events';
import { evolveProposal, GrowingSet, initialProposalState, type ProposalState } from '../../src/proposals/evolve';

const about = { proposalId: 'p1', groupId: 'strategic', visibility: 'dialogue' as const };
const submitted: ProposalEvent = {
  type: 'ProposalSubmitted',
  data: { ...about, title: 'Shared threat picture', body: 'Quarterly exchange.', pillars: [], authorEntityId: 'europol' },
};

function given(...events: ProposalEvent[]): ProposalState {
  return events.reduce(evolveProposal, initialProposalState);
}

function delegate(entityId: string, options: { kind?: 'member' | 'observer'; groups?: string[]; chairs?: string[] } = {}): Participant {
  return {
    actor: { role: 'delegate', entityId, entityKind: options.kind ?? 'member' },
    groups: new Set(options.groups ?? ['strategic', 'operational']),
    chairs: new Set(options.chairs ?? []),
  };
}

const secretariat: Participant = { actor: { role: 'secretariat', entityId: null, entityKind: null }, groups: new Set(), chairs: new Set() };
const observer = delegate('unodc', { kind: 'observer' });
const endorsed = (entityId: string, revision = 1): ProposalEvent => ({ type: 'ProposalEndorsed', data: { ...about, entityId, revision, note: null } });
const objected = (entityId: string): ProposalEvent => ({ type: 'ObjectionRaised', data: { ...about, entityId, reason: 'scope' } });

describe('submitting', () => {
  const command = { proposalId: 'p1', groupId: 'strategic', title: 'T', body: 'B', pillars: [], visibility: 'dialogue' as const };

  it('records a member delegate as the author entity', () => {
    expect(decide.submitProposal(initialProposalState, delegate('europol'), command)).toEqual([{
      type: 'ProposalSubmitted',
      data: { ...about, title: 'T', body: 'B', pillars: [], authorEntityId: 'europol' },
    }]);
  });
  it('refuses an observer entity', () => {
    expect(() => decide.submitProposal(initialProposalState, observer, command)).toThrow(Forbidden);
  });
  it('answers 404 to an entity that does not participate in the group', () => {
    expect(() => decide.submitProposal(initialProposalState, delegate('europol', { groups: ['operational'] }), command)).toThrow(NotFound);
  });
  it('refuses the secretariat, who runs the process but does not submit', () => {
    expect(() => decide.submitProposal(initialProposalState, secretariat, command)).toThrow(Forbidden);
  });
});

describe('revising', () => {
  it('lets the author entity revise while open and counts the revision', () => {
    const [event] = decide.reviseProposal(given(submitted), delegate('europol'), { proposalId: 'p1', body: 'New body' });
    expect(event).toEqual({ type: 'ProposalRevised', data: { ...about, revision: 2, title: 'Shared threat picture', body: 'New body' } });
  });
  it('refuses another entity', () => {
    expect(() => decide.reviseProposal(given(submitted), delegate('afripol'), { proposalId: 'p1', body: 'x' })).toThrow(Forbidden);
  });
  it('refuses a revision once the proposal is withdrawn', () => {
    const state = given(submitted, { type: 'ProposalWithdrawn', data: { ...about, reason: null } });
    expect(() => decide.reviseProposal(state, delegate('europol'), { proposalId: 'p1', body: 'x' })).toThrow(Conflict);
  });
  it('refuses a revision that changes nothing', () => {
    expect(() => decide.reviseProposal(given(submitted), delegate('europol'), { proposalId: 'p1', title: 'Shared threat picture' })).toThrow(BadRequest);
  });
  it('answers 404 for a proposal that does not exist', () => {
    expect(() => decide.reviseProposal(initialProposalState, delegate('europol'), { proposalId: 'p1', body: 'x' })).toThrow(NotFound);
  });
});

describe('endorsing and objecting', () => {
  it('records the text revision endorsed', () => {
    const revised = given(submitted, { type: 'ProposalRevised', data: { ...about, revision: 2, title: 'T2', body: 'B2' } });
    expect(decide.endorseProposal(revised, delegate('afripol'), { proposalId: 'p1', note: null })).toEqual([endorsed('afripol', 2)]);
  });
  it('refuses an endorsement from an observer entity', () => {
    expect(() => decide.endorseProposal(given(submitted), observer, { proposalId: 'p1', note: null })).toThrow(Forbidden);
  });
  it('refuses an endorsement from the author entity', () => {
    expect(() => decide.endorseProposal(given(submitted), delegate('europol'), { proposalId: 'p1', note: null })).toThrow(Forbidden);
  });
  it('refuses a second endorsement from the same entity', () => {
    expect(() => decide.endorseProposal(given(submitted, endorsed('afripol')), delegate('afripol'), { proposalId: 'p1', note: null })).toThrow(Conflict);
  });
  it('refuses endorsing while the same entity objects, and objecting while it endorses', () => {
    expect(() => decide.endorseProposal(given(submitted, objected('afripol')), delegate('afripol'), { proposalId: 'p1', note: null })).toThrow(Conflict);
    expect(() => decide.raiseObjection(given(submitted, endorsed('afripol')), delegate('afripol'), { proposalId: 'p1', reason: 'r' })).toThrow(Conflict);
  });
  it('refuses a second objection from the same entity', () => {
    expect(() => decide.raiseObjection(given(submitted, objected('aimc')), delegate('aimc'), { proposalId: 'p1', reason: 'r' })).toThrow(Conflict);
  });
  it('refuses endorsements once decided', () => {
    const decided = given(submitted, { type: 'ProposalDecided', data: { ...about, outcome: 'rejected', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] } });
    expect(() => decide.endorseProposal(decided, delegate('afripol'), { proposalId: 'p1', note: null })).toThrow(Conflict);
  });
  it('withdraws an endorsement only of the entity that gave it', () => {
    const state = given(submitted, endorsed('afripol'));
    expect(decide.withdrawEndorsement(state, delegate('afripol'), { proposalId: 'p1' })).toEqual([
      { type: 'EndorsementWithdrawn', data: { ...about, entityId: 'afripol' } },
    ]);
    expect(() => decide.withdrawEndorsement(state, delegate('aimc'), { proposalId: 'p1' })).toThrow(Conflict);
  });
  it('withdraws an objection only of the entity that raised it', () => {
    const state = given(submitted, objected('aimc'));
    expect(decide.withdrawObjection(state, delegate('aimc'), { proposalId: 'p1' })).toHaveLength(1);
    expect(() => decide.withdrawObjection(state, delegate('afripol'), { proposalId: 'p1' })).toThrow(Conflict);
  });
});

describe('commenting', () => {
  it('lets an observer entity comment', () => {
    const [event] = decide.postComment(given(submitted), observer, { proposalId: 'p1', commentId: 'c1', body: 'b', replyTo: null });
    expect(event?.type).toBe('CommentPosted');
  });
  it('threads a reply to a comment of the same proposal and refuses any other replyTo', () => {
    const state = given(submitted, { type: 'CommentPosted', data: { ...about, commentId: 'c1', entityId: 'afripol', body: 'b', replyTo: null } });
    expect(decide.postComment(state, observer, { proposalId: 'p1', commentId: 'c2', body: 'b', replyTo: 'c1' })).toHaveLength(1);
    expect(() => decide.postComment(state, observer, { proposalId: 'p1', commentId: 'c2', body: 'b', replyTo: 'elsewhere' })).toThrow(BadRequest);
  });
  it('hides a members-only proposal from an observer entity (404)', () => {
    const members = given({ ...submitted, data: { ...submitted.data, visibility: 'members' } } as ProposalEvent);
    expect(() => decide.postComment(members, observer, { proposalId: 'p1', commentId: 'c', body: 'b', replyTo: null })).toThrow(NotFound);
  });
  it('hides a proposal from an entity outside its group (404)', () => {
    expect(() =>
      decide.postComment(given(submitted), delegate('afripol', { groups: ['operational'] }), { proposalId: 'p1', commentId: 'c', body: 'b', replyTo: null }),
    ).toThrow(NotFound);
  });
  it('refuses comments from the auditor, who changes nothing', () => {
    const auditor: Participant = { ...secretariat, actor: { role: 'auditor', entityId: null, entityKind: null } };
    expect(() => decide.postComment(given(submitted), auditor, { proposalId: 'p1', commentId: 'c', body: 'b', replyTo: null })).toThrow(Forbidden);
  });
});

describe('withdrawing and deciding', () => {
  const chair = delegate('interpol', { chairs: ['strategic'] });
  it('lets only the author entity withdraw, while open', () => {
    expect(decide.withdrawProposal(given(submitted), delegate('europol'), { proposalId: 'p1', reason: null })).toHaveLength(1);
    expect(() => decide.withdrawProposal(given(submitted), delegate('afripol'), { proposalId: 'p1', reason: null })).toThrow(Forbidden);
  });
  it('lets a chair entity adopt', () => {
    expect(decide.decideProposal(given(submitted), chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })).toEqual([
      { type: 'ProposalDecided', data: { ...about, outcome: 'adopted', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] } },
    ]);
  });
  it('refuses a decision from an entity that does not chair the group', () => {
    expect(() => decide.decideProposal(given(submitted), delegate('afripol', { chairs: ['operational'] }), { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })).toThrow(Forbidden);
  });
  it('refuses adopting over open objections without override, and records them with it', () => {
    const state = given(submitted, objected('aimc'));
    expect(() => decide.decideProposal(state, chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })).toThrow(Conflict);
    const [event] = decide.decideProposal(state, chair, { proposalId: 'p1', outcome: 'adopted', note: 'consensus otherwise', override: true });
    expect(event?.data).toMatchObject({ overriddenObjections: ['aimc'] });
  });
  it('lets a chair reject over objections without override', () => {
    expect(decide.decideProposal(given(submitted, objected('aimc')), chair, { proposalId: 'p1', outcome: 'rejected', note: 'n', override: false })).toHaveLength(1);
  });
  it('refuses deciding a proposal twice', () => {
    const [decision] = decide.decideProposal(given(submitted), chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false });
    expect(() => decide.decideProposal(given(submitted, decision as ProposalEvent), chair, { proposalId: 'p1', outcome: 'rejected', note: 'n', override: false })).toThrow(Conflict);
  });
});

describe('GrowingSet', () => {
  it('keeps every state what it was while newer states share its storage', () => {
    const empty = GrowingSet.empty();
    const a = empty.with('a');
    const ab = a.with('b');
    const ac = a.with('c');
    expect([empty.has('a'), a.has('a'), a.has('b'), ab.has('b'), ab.has('c')]).toEqual([false, true, false, true, false]);
    expect([ac.has('a'), ac.has('c'), ac.has('b'), ab.has('c')]).toEqual([true, true, false, false]);
    expect(ab.with('a')).toBe(ab);
    expect([empty.size, a.size, ab.size, ac.size]).toEqual([0, 1, 2, 2]);
  });
});
