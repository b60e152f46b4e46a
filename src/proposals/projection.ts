import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { PROPOSAL_EVENT_TYPES, ProposalEvent } from './events';
import {
  consultationColumns,
  decisionJson,
  type ProjectionStatements,
  projectionStatements,
} from './projectionStatements';
import { proposalsRebuildFold } from './rebuild/rebuildFold';

/**
 * The proposal events the views fold: all but comments. A comment is never edited or removed, so the views
 * read comments from the log itself (a proposal's are its stream's `CommentPosted` events, `queries.ts`),
 * and a comment's commit writes the log's row and nothing else.
 */
const FOLDED: ReadonlySet<string> = new Set([...PROPOSAL_EVENT_TYPES].filter((type) => type !== 'CommentPosted'));

/**
 * Folds proposal events into the proposal views; the search index over their text follows the log after
 * each commit instead (`SearchIndex`). A proposal's row is not rewritten for a comment, so that a comment's
 * commit writes as few pages as it can: the row holds the proposal as of its last other event, the readers
 * add the comments since from the log (`atHead`), and the next other event settles the count.
 */
export function proposalsProjection(sqlite: Sqlite): Projection {
  const statements = projectionStatements(sqlite);
  const fold = inlineFold(statements);
  // A rebuild folds events its own way (rebuildFold.ts): same views, fewer writes.
  const rebuild = proposalsRebuildFold(sqlite, statements);
  let rebuilding = false;
  return {
    name: 'proposals',
    tables: ['proposal_objections', 'proposal_endorsements', 'proposals'],
    // A rebuild does not even read comments.
    rebuildTypes: FOLDED,
    beginRebuild() {
      rebuilding = true;
      rebuild.reset();
    },
    endRebuildPage() {
      if (rebuilding) rebuild.endPage();
    },
    endRebuild() {
      rebuilding = false;
      rebuild.reset();
    },
    apply(stored: StoredEvent) {
      if (!FOLDED.has(stored.type)) return;
      if (rebuilding) rebuild.fold(stored);
      else fold(stored);
    },
  };
}

/** The fold at append: one event's rows, written in the append's transaction. */
function inlineFold(statements: ProjectionStatements) {
  const { touch, revise, setStatus } = statements;
  return (stored: StoredEvent): void => {
    const event = ProposalEvent.parse({ type: stored.type, data: stored.data });
    const id = event.data.proposalId;
    const at = stored.recordedAt;
    const move = { id, version: stored.version, at };
    switch (event.type) {
      case 'ProposalSubmitted':
        submitted(statements, stored, event.data);
        return;
      case 'ProposalRevised': {
        touch.run(move);
        const { title, body, revision } = event.data;
        revise.run({ id, title, body, revision });
        return;
      }
      case 'CommentPosted':
        return;
      case 'ProposalEndorsed':
      case 'EndorsementWithdrawn':
      case 'ObjectionRaised':
      case 'ObjectionWithdrawn':
        stance(statements, stored, event);
        return;
      case 'ProposalWithdrawn':
        touch.run(move);
        setStatus.run({ id, status: 'withdrawn', decision: null });
        return;
      case 'ProposalDecided': {
        touch.run(move);
        setStatus.run({ id, status: event.data.outcome, decision: decisionJson(event.data, at) });
        return;
      }
      case 'ConsultationRescheduled':
      case 'ConsultationClosed':
        touch.run(move);
        statements.setConsultation.run({ id, ...consultationColumns(event) });
        return;
    }
  };
}

function submitted(
  statements: ProjectionStatements,
  stored: StoredEvent,
  data: Extract<ProposalEvent, { type: 'ProposalSubmitted' }>['data'],
): void {
  const at = stored.recordedAt;
  statements.insertProposal.run({
    id: data.proposalId,
    group_id: data.groupId,
    seq: stored.position,
    title: data.title,
    body: data.body,
    pillars: JSON.stringify(data.pillars),
    visibility: data.visibility,
    version: stored.version,
    author_entity_id: data.authorEntityId,
    closes_at: data.closesAt ?? null,
    created_at: at,
    updated_at: at,
  });
}

type StanceEvent = Extract<
  ProposalEvent,
  { type: 'ProposalEndorsed' | 'EndorsementWithdrawn' | 'ObjectionRaised' | 'ObjectionWithdrawn' }
>;

/** An endorsement or an objection, taken or withdrawn: its row, and its proposal's counter moved. */
function stance(statements: ProjectionStatements, stored: StoredEvent, event: StanceEvent): void {
  const id = event.data.proposalId;
  const entityId = event.data.entityId;
  const at = stored.recordedAt;
  const move = { id, version: stored.version, at };
  const stanceKey = { proposalId: id, entityId };
  const row = { proposal_id: id, entity_id: entityId, at, seq: stored.position };
  switch (event.type) {
    case 'ProposalEndorsed':
      statements.insertEndorsement.run({ ...row, revision: event.data.revision, note: event.data.note });
      statements.countEndorsements.run({ ...move, delta: 1 });
      return;
    case 'EndorsementWithdrawn':
      statements.deleteEndorsement.run(stanceKey);
      statements.countEndorsements.run({ ...move, delta: -1 });
      return;
    case 'ObjectionRaised':
      statements.insertObjection.run({ ...row, reason: event.data.reason });
      statements.countObjections.run({ ...move, delta: 1 });
      return;
    case 'ObjectionWithdrawn':
      statements.deleteObjection.run(stanceKey);
      statements.countObjections.run({ ...move, delta: -1 });
      return;
  }
}
