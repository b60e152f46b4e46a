import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/eventStore/database';
import type { Projection } from '../../src/eventStore/projections';
import type { StoredEvent } from '../../src/eventStore/types';
import type { ProposalEvent } from '../../src/proposals/events';
import { proposalsProjection } from '../../src/proposals/projection';

const about = { proposalId: 'p1', groupId: 'strategic', visibility: 'dialogue' as const };
const at = (version: number) => `2026-03-02T09:00:0${version}.000Z`;

const submitted: ProposalEvent = {
  type: 'ProposalSubmitted',
  data: { ...about, title: 'Shared threat picture', body: 'Quarterly.', pillars: ['p2'], authorEntityId: 'europol' },
};
const comment = (commentId: string): ProposalEvent => ({
  type: 'CommentPosted',
  data: { ...about, commentId, entityId: 'afripol', body: 'Agreed.', replyTo: null },
});
const endorsed = (entityId: string): ProposalEvent => ({
  type: 'ProposalEndorsed',
  data: { ...about, entityId, revision: 1, note: null },
});
const objected = (entityId: string): ProposalEvent => ({
  type: 'ObjectionRaised',
  data: { ...about, entityId, reason: 'Too broad.' },
});

/** The stream `proposal-p1` as the log would hold it: versions from 1, positions from 1, a second apart. */
function stream(events: ProposalEvent[]): StoredEvent[] {
  return events.map((event, index) => ({
    position: index + 1,
    id: `e${index + 1}`,
    streamId: 'proposal-p1',
    version: index + 1,
    type: event.type,
    data: event.data,
    metadata: { actor: { role: 'delegate', entityId: 'europol', tokenId: 't1', person: 'P' }, requestId: 'r' },
    recordedAt: at(index + 1),
    prevHash: '',
    hash: '',
  })) as StoredEvent[];
}

let db: DatabaseHandle;
let projection: Projection;

beforeEach(async () => {
  db = await openDatabase({ url: ':memory:' });
  projection = proposalsProjection(db.sqlite);
});
afterEach(async () => {
  await db.close();
});

/** Folds the events as an append does, one by one. */
const inline = (events: ProposalEvent[]) => {
  for (const event of stream(events)) projection.apply(event);
};

/** Folds the events as a rebuild does, in pages of two (a proposal's row written once per page). */
const rebuilt = (events: ProposalEvent[]) => {
  projection.beginRebuild?.(events.length);
  stream(events).forEach((event, index) => {
    projection.apply(event);
    if (index % 2 === 1) projection.endRebuildPage?.(index - 1, index + 1);
  });
  projection.endRebuildPage?.(events.length - (events.length % 2), events.length);
  projection.endRebuild?.(true);
};

const proposalRow = () => db.sqlite.prepare('SELECT * FROM proposals').all();
const endorsements = () => db.sqlite.prepare('SELECT * FROM proposal_endorsements ORDER BY seq').all();
const objections = () => db.sqlite.prepare('SELECT * FROM proposal_objections ORDER BY seq').all();

const row = (fields: Record<string, unknown>) => ({
  id: 'p1',
  group_id: 'strategic',
  seq: 1,
  title: 'Shared threat picture',
  body: 'Quarterly.',
  pillars: '["p2"]',
  visibility: 'dialogue',
  status: 'open',
  version: 1,
  revision: 1,
  author_entity_id: 'europol',
  endorsement_count: 0,
  objection_count: 0,
  comment_count: 0,
  decision: null,
  closes_at: null,
  consultation_closed_at: null,
  created_at: at(1),
  updated_at: at(1),
  ...fields,
});

describe.each([
  ['at append', inline],
  ['in a rebuild', rebuilt],
])('the proposals projection, %s', (_name, fold) => {
  it('writes a submitted proposal as its row, open, at revision 1 with no counts', () => {
    fold([submitted]);
    expect(proposalRow()).toEqual([row({})]);
  });

  it('leaves the row alone for comments: the readers take them from the log', () => {
    fold([submitted, comment('c1'), comment('c2')]);
    expect(proposalRow()).toEqual([row({})]);
  });

  it('counts the comments since the row was written at the next event that is not one', () => {
    fold([submitted, comment('c1'), comment('c2'), endorsed('afripol')]);
    expect(proposalRow()).toEqual([row({ version: 4, updated_at: at(4), comment_count: 2, endorsement_count: 1 })]);
  });

  it('keeps each endorsement and objection as a row, in order, and drops the withdrawn ones', () => {
    fold([
      submitted,
      endorsed('afripol'),
      objected('aimc'),
      endorsed('ameripol'),
      { type: 'EndorsementWithdrawn', data: { ...about, entityId: 'afripol' } },
      { type: 'ObjectionWithdrawn', data: { ...about, entityId: 'aimc' } },
      objected('gccpol'),
    ]);
    expect(endorsements()).toEqual([
      { proposal_id: 'p1', entity_id: 'ameripol', revision: 1, note: null, at: at(4), seq: 4 },
    ]);
    expect(objections()).toEqual([{ proposal_id: 'p1', entity_id: 'gccpol', reason: 'Too broad.', at: at(7), seq: 7 }]);
    expect(proposalRow()).toEqual([row({ version: 7, updated_at: at(7), endorsement_count: 1, objection_count: 1 })]);
  });

  it('takes the text of the last revision', () => {
    fold([submitted, { type: 'ProposalRevised', data: { ...about, revision: 2, title: 'Picture', body: 'Monthly.' } }]);
    expect(proposalRow()).toEqual([
      row({ title: 'Picture', body: 'Monthly.', revision: 2, version: 2, updated_at: at(2) }),
    ]);
  });

  it('records a decision with its chair, note, overridden objections and time', () => {
    fold([
      submitted,
      objected('aimc'),
      comment('c1'),
      {
        type: 'ProposalDecided',
        data: {
          ...about,
          outcome: 'adopted',
          note: 'Over one objection.',
          chairEntityId: 'aimc',
          overriddenObjections: ['aimc'],
        },
      },
    ]);
    const decision = {
      outcome: 'adopted',
      note: 'Over one objection.',
      chairEntityId: 'aimc',
      overriddenObjections: ['aimc'],
      at: at(4),
    };
    expect(proposalRow()).toEqual([
      row({
        status: 'adopted',
        decision: JSON.stringify(decision),
        version: 4,
        updated_at: at(4),
        comment_count: 1,
        objection_count: 1,
      }),
    ]);
  });

  it('marks a withdrawn proposal, with no decision', () => {
    fold([submitted, { type: 'ProposalWithdrawn', data: { ...about, reason: null } }]);
    expect(proposalRow()).toEqual([row({ status: 'withdrawn', version: 2, updated_at: at(2) })]);
  });
  it('keeps the deadline of a submission', () => {
    const closing: ProposalEvent = { type: 'ProposalSubmitted', data: { ...submitted.data, closesAt: at(5) } };
    fold([closing]);
    expect(proposalRow()).toEqual([row({ closes_at: at(5) })]);
  });

  it('records the close of the consultation, and a new deadline reopens it', () => {
    const closing: ProposalEvent = { type: 'ProposalSubmitted', data: { ...submitted.data, closesAt: at(2) } };
    const closed: ProposalEvent = { type: 'ConsultationClosed', data: { ...about, dueAt: at(2), firedAt: at(3) } };
    fold([closing, comment('c1'), closed]);
    expect(proposalRow()).toEqual([
      row({ closes_at: at(2), consultation_closed_at: at(3), version: 3, updated_at: at(3), comment_count: 1 }),
    ]);
  });

  it('reopens a closed consultation at a new deadline, and removes the deadline on null', () => {
    const closing: ProposalEvent = { type: 'ProposalSubmitted', data: { ...submitted.data, closesAt: at(2) } };
    const closed: ProposalEvent = { type: 'ConsultationClosed', data: { ...about, dueAt: at(2), firedAt: at(3) } };
    const moved = (closesAt: string | null, previousClosesAt: string | null): ProposalEvent => ({
      type: 'ConsultationRescheduled',
      data: { ...about, closesAt, previousClosesAt, reason: 'More time.' },
    });
    fold([closing, closed, moved(at(9), at(2))]);
    expect(proposalRow()).toEqual([row({ closes_at: at(9), version: 3, updated_at: at(3) })]);
    db.sqlite.exec('DELETE FROM proposals');
    fold([closing, closed, moved(at(9), at(2)), moved(null, at(9))]);
    expect(proposalRow()).toEqual([row({ version: 4, updated_at: at(4) })]);
  });
});
