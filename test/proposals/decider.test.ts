import { describe, expect, it } from 'vitest';
import { givenFor } from '../support/decider';
import type { Participant } from '../../src/dialogue/participant';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors';
import * as decide from '../../src/proposals/decider';
import type { ProposalEvent } from '../../src/proposals/events';
import { evolve, initialState, type ProposalState } from '../../src/proposals/state';
import { GrowingSet } from '../../src/proposals/growingSet';
import { closeConsultation, rescheduleConsultation } from '../../src/proposals/consultation';

/** The clock's time of the commands that take it. */
const now = '2026-03-02T09:00:00.000Z';
const about = { proposalId: 'p1', groupId: 'strategic', visibility: 'dialogue' as const };
const submitted: ProposalEvent = {
  type: 'ProposalSubmitted',
  data: {
    ...about,
    title: 'Shared threat picture',
    body: 'Quarterly exchange.',
    pillars: [],
    authorEntityId: 'europol',
  },
};

const given = givenFor<ProposalState, ProposalEvent>({ initialState, evolve });

function delegate(
  entityId: string,
  options: { kind?: 'member' | 'observer'; groups?: string[]; chairs?: string[] } = {},
): Participant {
  return {
    actor: { role: 'delegate', entityId, entityKind: options.kind ?? 'member' },
    groups: new Set(options.groups ?? ['strategic', 'operational']),
    chairs: new Set(options.chairs ?? []),
  };
}

const secretariat: Participant = {
  actor: { role: 'secretariat', entityId: null, entityKind: null },
  groups: new Set(),
  chairs: new Set(),
};
const observer = delegate('unodc', { kind: 'observer' });
const endorsed = (entityId: string, revision = 1): ProposalEvent => ({
  type: 'ProposalEndorsed',
  data: { ...about, entityId, revision, note: null },
});
const objected = (entityId: string): ProposalEvent => ({
  type: 'ObjectionRaised',
  data: { ...about, entityId, reason: 'scope' },
});

describe('submitting', () => {
  const command = {
    proposalId: 'p1',
    groupId: 'strategic',
    title: 'T',
    body: 'B',
    pillars: [],
    visibility: 'dialogue' as const,
    closesAt: null,
    now,
  };

  it('records a member delegate as the author entity', () => {
    given()
      .when(decide.submitProposal, delegate('europol'), command)
      .then([
        {
          type: 'ProposalSubmitted',
          data: { ...about, title: 'T', body: 'B', pillars: [], authorEntityId: 'europol' },
        },
      ]);
  });
  it('refuses an observer entity', () => {
    given().when(decide.submitProposal, observer, command).thenThrows(Forbidden);
  });
  it('answers 404 to an entity that does not participate in the group', () => {
    given()
      .when(decide.submitProposal, delegate('europol', { groups: ['operational'] }), command)
      .thenThrows(NotFound);
  });
  it('refuses the secretariat, who runs the process but does not submit', () => {
    given().when(decide.submitProposal, secretariat, command).thenThrows(Forbidden);
  });
});

describe('revising', () => {
  it('lets the author entity revise while open and counts the revision', () => {
    const [event] = given(submitted)
      .when(decide.reviseProposal, delegate('europol'), { proposalId: 'p1', body: 'New body' })
      .events();
    expect(event).toEqual({
      type: 'ProposalRevised',
      data: { ...about, revision: 2, title: 'Shared threat picture', body: 'New body' },
    });
  });
  it('refuses another entity', () => {
    given(submitted)
      .when(decide.reviseProposal, delegate('afripol'), { proposalId: 'p1', body: 'x' })
      .thenThrows(Forbidden);
  });
  it('refuses a revision once the proposal is withdrawn', () => {
    const state = given(submitted, { type: 'ProposalWithdrawn', data: { ...about, reason: null } });
    state.when(decide.reviseProposal, delegate('europol'), { proposalId: 'p1', body: 'x' }).thenThrows(Conflict);
  });
  it('refuses a revision that changes nothing', () => {
    given(submitted)
      .when(decide.reviseProposal, delegate('europol'), { proposalId: 'p1', title: 'Shared threat picture' })
      .thenThrows(BadRequest);
  });
  it('answers 404 for a proposal that does not exist', () => {
    given().when(decide.reviseProposal, delegate('europol'), { proposalId: 'p1', body: 'x' }).thenThrows(NotFound);
  });
});

describe('endorsing and objecting', () => {
  it('records the text revision endorsed', () => {
    const revised = given(submitted, {
      type: 'ProposalRevised',
      data: { ...about, revision: 2, title: 'T2', body: 'B2' },
    });
    revised
      .when(decide.endorseProposal, delegate('afripol'), { proposalId: 'p1', note: null, now })
      .then([endorsed('afripol', 2)]);
  });
  it('refuses an endorsement from an observer entity', () => {
    given(submitted)
      .when(decide.endorseProposal, observer, { proposalId: 'p1', note: null, now })
      .thenThrows(Forbidden);
  });
  it('refuses an endorsement from the author entity', () => {
    given(submitted)
      .when(decide.endorseProposal, delegate('europol'), { proposalId: 'p1', note: null, now })
      .thenThrows(Forbidden);
  });
  it('refuses a second endorsement from the same entity', () => {
    given(submitted, endorsed('afripol'))
      .when(decide.endorseProposal, delegate('afripol'), { proposalId: 'p1', note: null, now })
      .thenThrows(Conflict);
  });
  it('refuses endorsing while the same entity objects, and objecting while it endorses', () => {
    given(submitted, objected('afripol'))
      .when(decide.endorseProposal, delegate('afripol'), { proposalId: 'p1', note: null, now })
      .thenThrows(Conflict);
    given(submitted, endorsed('afripol'))
      .when(decide.raiseObjection, delegate('afripol'), { proposalId: 'p1', reason: 'r', now })
      .thenThrows(Conflict);
  });
  it('refuses a second objection from the same entity', () => {
    given(submitted, objected('aimc'))
      .when(decide.raiseObjection, delegate('aimc'), { proposalId: 'p1', reason: 'r', now })
      .thenThrows(Conflict);
  });
  it('refuses endorsements once decided', () => {
    const decided = given(submitted, {
      type: 'ProposalDecided',
      data: { ...about, outcome: 'rejected', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] },
    });
    decided
      .when(decide.endorseProposal, delegate('afripol'), { proposalId: 'p1', note: null, now })
      .thenThrows(Conflict);
  });
  it('withdraws an endorsement only of the entity that gave it', () => {
    const state = given(submitted, endorsed('afripol'));
    state
      .when(decide.withdrawEndorsement, delegate('afripol'), { proposalId: 'p1' })
      .then([{ type: 'EndorsementWithdrawn', data: { ...about, entityId: 'afripol' } }]);
    state.when(decide.withdrawEndorsement, delegate('aimc'), { proposalId: 'p1' }).thenThrows(Conflict);
  });
  it('withdraws an objection only of the entity that raised it', () => {
    const state = given(submitted, objected('aimc'));
    state
      .when(decide.withdrawObjection, delegate('aimc'), { proposalId: 'p1' })
      .then([{ type: 'ObjectionWithdrawn', data: { ...about, entityId: 'aimc' } }]);
    state.when(decide.withdrawObjection, delegate('afripol'), { proposalId: 'p1' }).thenThrows(Conflict);
  });
});

describe('commenting', () => {
  it('lets an observer entity comment', () => {
    given(submitted)
      .when(decide.postComment, observer, { proposalId: 'p1', commentId: 'c1', body: 'b', replyTo: null })
      .then([
        { type: 'CommentPosted', data: { ...about, commentId: 'c1', entityId: 'unodc', body: 'b', replyTo: null } },
      ]);
  });
  it('threads a reply to a comment of the same proposal and refuses any other replyTo', () => {
    const state = given(submitted, {
      type: 'CommentPosted',
      data: { ...about, commentId: 'c1', entityId: 'afripol', body: 'b', replyTo: null },
    });
    state
      .when(decide.postComment, observer, { proposalId: 'p1', commentId: 'c2', body: 'b', replyTo: 'c1' })
      .then([
        { type: 'CommentPosted', data: { ...about, commentId: 'c2', entityId: 'unodc', body: 'b', replyTo: 'c1' } },
      ]);
    state
      .when(decide.postComment, observer, { proposalId: 'p1', commentId: 'c2', body: 'b', replyTo: 'elsewhere' })
      .thenThrows(BadRequest);
  });
  it('hides a members-only proposal from an observer entity (404)', () => {
    const members = given({ ...submitted, data: { ...submitted.data, visibility: 'members' } } as ProposalEvent);
    members
      .when(decide.postComment, observer, { proposalId: 'p1', commentId: 'c', body: 'b', replyTo: null })
      .thenThrows(NotFound);
  });
  it('hides a proposal from an entity outside its group (404)', () => {
    expect(() =>
      given(submitted)
        .when(decide.postComment, delegate('afripol', { groups: ['operational'] }), {
          proposalId: 'p1',
          commentId: 'c',
          body: 'b',
          replyTo: null,
        })
        .events(),
    ).toThrow(NotFound);
  });
  it('refuses comments from the auditor, who changes nothing', () => {
    const auditor: Participant = { ...secretariat, actor: { role: 'auditor', entityId: null, entityKind: null } };
    given(submitted)
      .when(decide.postComment, auditor, { proposalId: 'p1', commentId: 'c', body: 'b', replyTo: null })
      .thenThrows(Forbidden);
  });
});

describe('withdrawing and deciding', () => {
  const chair = delegate('interpol', { chairs: ['strategic'] });
  it('lets only the author entity withdraw, while open', () => {
    given(submitted)
      .when(decide.withdrawProposal, delegate('europol'), { proposalId: 'p1', reason: null })
      .then([{ type: 'ProposalWithdrawn', data: { ...about, reason: null } }]);
    given(submitted)
      .when(decide.withdrawProposal, delegate('afripol'), { proposalId: 'p1', reason: null })
      .thenThrows(Forbidden);
  });
  it('lets a chair entity adopt', () => {
    given(submitted)
      .when(decide.decideProposal, chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })
      .then([
        {
          type: 'ProposalDecided',
          data: { ...about, outcome: 'adopted', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] },
        },
      ]);
  });
  it('refuses a decision from an entity that does not chair the group', () => {
    given(submitted)
      .when(decide.decideProposal, delegate('afripol', { chairs: ['operational'] }), {
        proposalId: 'p1',
        outcome: 'adopted',
        note: 'n',
        override: false,
      })
      .thenThrows(Forbidden);
  });
  it('refuses adopting over open objections without override, and records them with it', () => {
    const state = given(submitted, objected('aimc'));
    state
      .when(decide.decideProposal, chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })
      .thenThrows(Conflict);
    const [event] = state
      .when(decide.decideProposal, chair, {
        proposalId: 'p1',
        outcome: 'adopted',
        note: 'consensus otherwise',
        override: true,
      })
      .events();
    expect(event?.data).toMatchObject({ overriddenObjections: ['aimc'] });
  });
  it('lets a chair reject over objections without override', () => {
    given(submitted, objected('aimc'))
      .when(decide.decideProposal, chair, { proposalId: 'p1', outcome: 'rejected', note: 'n', override: false })
      .then([
        {
          type: 'ProposalDecided',
          data: { ...about, outcome: 'rejected', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] },
        },
      ]);
  });
  it('refuses deciding a proposal twice', () => {
    const [decision] = given(submitted)
      .when(decide.decideProposal, chair, { proposalId: 'p1', outcome: 'adopted', note: 'n', override: false })
      .events();
    given(submitted, decision as ProposalEvent)
      .when(decide.decideProposal, chair, { proposalId: 'p1', outcome: 'rejected', note: 'n', override: false })
      .thenThrows(Conflict);
  });
});

describe('the consultation deadline', () => {
  const chair = delegate('interpol', { chairs: ['strategic'] });
  const later = '2026-03-09T12:00:00.000Z';
  const closing = (closesAt: string): ProposalEvent => ({
    type: 'ProposalSubmitted',
    data: { ...(submitted.data as object), closesAt } as Extract<ProposalEvent, { type: 'ProposalSubmitted' }>['data'],
  });
  const rescheduled = (closesAt: string | null, previousClosesAt: string | null): ProposalEvent => ({
    type: 'ConsultationRescheduled',
    data: { ...about, closesAt, previousClosesAt, reason: 'more time' },
  });
  const closed = (dueAt: string): ProposalEvent => ({
    type: 'ConsultationClosed',
    data: { ...about, dueAt, firedAt: '2026-03-09T12:00:00.400Z' },
  });
  const reschedule = (closesAt: string | null, at = now) => ({
    proposalId: 'p1',
    closesAt,
    reason: 'more time',
    now: at,
  });
  const submit = {
    proposalId: 'p1',
    groupId: 'strategic',
    title: 'Shared threat picture',
    body: 'Quarterly exchange.',
    pillars: [],
    visibility: 'dialogue' as const,
    now,
  };

  it('records closesAt at submission, and leaves it out of the event when there is none', () => {
    given()
      .when(decide.submitProposal, delegate('europol'), { ...submit, closesAt: later })
      .then([closing(later)]);
    given()
      .when(decide.submitProposal, delegate('europol'), { ...submit, closesAt: null })
      .then([submitted]);
  });
  it('refuses a closesAt at submission that is not after now (400 on body.closesAt)', () => {
    given()
      .when(decide.submitProposal, delegate('europol'), { ...submit, closesAt: now })
      .thenThrows(BadRequest);
  });
  it('refuses an endorsement and an objection once closesAt has passed, before the deadline fired', () => {
    const after = '2026-03-09T12:00:00.000Z';
    given(closing(later))
      .when(decide.endorseProposal, delegate('afripol'), { proposalId: 'p1', note: null, now: after })
      .thenThrows(Conflict, /the consultation closed at 2026-03-09T12:00:00.000Z/);
    given(closing(later))
      .when(decide.raiseObjection, delegate('afripol'), { proposalId: 'p1', reason: 'r', now: after })
      .thenThrows(Conflict, /consultation closed/);
  });
  it('takes an endorsement just before closesAt', () => {
    given(closing(later))
      .when(decide.endorseProposal, delegate('afripol'), {
        proposalId: 'p1',
        note: null,
        now: '2026-03-09T11:59:59.999Z',
      })
      .then([endorsed('afripol')]);
  });
  it('lets a chair entity move the deadline, remove it, or set one, with the previous one recorded', () => {
    given(closing(later))
      .when(rescheduleConsultation, chair, reschedule(null))
      .then([rescheduled(null, later)]);
    given(submitted)
      .when(rescheduleConsultation, chair, reschedule(later))
      .then([rescheduled(later, null)]);
  });
  it('reopens a closed consultation when the deadline moves into the future', () => {
    const further = '2026-03-20T12:00:00.000Z';
    const reopened = given(closing(later), closed(later), rescheduled(further, later));
    reopened
      .when(decide.endorseProposal, delegate('afripol'), {
        proposalId: 'p1',
        note: null,
        now: '2026-03-10T00:00:00.000Z',
      })
      .then([endorsed('afripol')]);
    given(closing(later), closed(later))
      .when(rescheduleConsultation, chair, reschedule(further, '2026-03-10T00:00:00.000Z'))
      .then([rescheduled(further, later)]);
  });
  it('refuses a reschedule from a delegate whose entity does not chair the group, and from the secretariat (403)', () => {
    given(closing(later)).when(rescheduleConsultation, delegate('afripol'), reschedule(null)).thenThrows(Forbidden);
    given(closing(later)).when(rescheduleConsultation, secretariat, reschedule(null)).thenThrows(Forbidden);
  });
  it('answers 404 for a proposal the caller may not see', () => {
    given().when(rescheduleConsultation, chair, reschedule(later)).thenThrows(NotFound);
  });
  it('refuses a reschedule of a proposal no longer open (409)', () => {
    const decided: ProposalEvent = {
      type: 'ProposalDecided',
      data: { ...about, outcome: 'rejected', note: 'n', chairEntityId: 'interpol', overriddenObjections: [] },
    };
    given(closing(later), decided).when(rescheduleConsultation, chair, reschedule(null)).thenThrows(Conflict);
  });
  it('refuses a deadline not after now and one that changes nothing (400)', () => {
    given(closing(later))
      .when(rescheduleConsultation, chair, reschedule(now))
      .thenThrows(BadRequest, /future/);
    given(closing(later))
      .when(rescheduleConsultation, chair, reschedule(later))
      .thenThrows(BadRequest, /changes nothing/);
    given(submitted)
      .when(rescheduleConsultation, chair, reschedule(null))
      .thenThrows(BadRequest, /changes nothing/);
  });
  it('closes the consultation at its deadline, once', () => {
    const firing = { dueAt: later, firedAt: '2026-03-09T12:00:00.400Z' };
    given(closing(later))
      .when(closeConsultation, firing)
      .then([closed(later)]);
    given(closing(later), closed(later)).when(closeConsultation, firing).then([]);
  });
  it('fires nothing for a moved or removed deadline, or a proposal no longer open', () => {
    const firing = { dueAt: later, firedAt: '2026-03-09T12:00:00.400Z' };
    given(closing(later), rescheduled('2026-03-20T12:00:00.000Z', later)).when(closeConsultation, firing).then([]);
    given(closing(later), rescheduled(null, later)).when(closeConsultation, firing).then([]);
    const withdrawn: ProposalEvent = { type: 'ProposalWithdrawn', data: { ...about, reason: null } };
    given(closing(later), withdrawn).when(closeConsultation, firing).then([]);
    given().when(closeConsultation, firing).then([]);
  });
});

describe('GrowingSet', () => {
  it('keeps every state what it was while newer states share its storage', () => {
    const empty = GrowingSet.empty();
    const a = empty.with('a');
    const ab = a.with('b');
    const ac = a.with('c');
    expect([empty.has('a'), a.has('a'), a.has('b'), ab.has('b'), ab.has('c')]).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
    expect([ac.has('a'), ac.has('c'), ac.has('b'), ab.has('c')]).toEqual([true, true, false, false]);
    expect(ab.with('a')).toBe(ab);
    expect([empty.size, a.size, ab.size, ac.size]).toEqual([0, 1, 2, 2]);
  });
});
