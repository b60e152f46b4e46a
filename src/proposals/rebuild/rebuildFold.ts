import type { ProposalsTable } from '../../db/schema';
import { type Params, prepare } from '../../db/statements';
import type { Sqlite } from '../../eventStore/database';
import type { StoredEvent } from '../../eventStore/types';
import type { ProposalEvent } from '../events';
import { consultationColumns, decisionJson, type ProjectionStatements } from '../projectionStatements';

/** A proposal's whole row, as a rebuild inserts it once per page. */
type FullRow = { [K in keyof ProposalsTable]: K extends `${string}_count` ? number : ProposalsTable[K] };
/** What a page did to a proposal submitted before it: its row's move and its counters' changes. */
type Moved = { id: string; version: number; moves: number; at: string; endorsements: number; objections: number };

/** The statements only a rebuild runs: a proposal's row written once per page. */
function pageStatements(sqlite: Sqlite) {
  return {
    // The row's final state for a proposal submitted within the page.
    insertFull: prepare(sqlite, (db, p: Params<FullRow>) =>
      db.insertInto('proposals').values({
        id: p.id,
        group_id: p.group_id,
        seq: p.seq,
        title: p.title,
        body: p.body,
        pillars: p.pillars,
        visibility: p.visibility,
        status: p.status,
        version: p.version,
        revision: p.revision,
        author_entity_id: p.author_entity_id,
        endorsement_count: p.endorsement_count,
        objection_count: p.objection_count,
        comment_count: p.comment_count,
        decision: p.decision,
        closes_at: p.closes_at,
        consultation_closed_at: p.consultation_closed_at,
        created_at: p.created_at,
        updated_at: p.updated_at,
      }),
    ),
    // The row moves as the inline fold would have moved it, event by event: the events between the row's
    // version and the page's last event other than a comment, those `moves` events aside, were comments.
    moveCounters: prepare(sqlite, (db, p: Params<Moved>) =>
      db
        .updateTable('proposals')
        .set((eb) => ({
          comment_count: eb('comment_count', '+', eb(eb(p.version, '-', eb.ref('version')), '-', p.moves)),
          version: p.version,
          updated_at: p.at,
          endorsement_count: eb('endorsement_count', '+', p.endorsements),
          objection_count: eb('objection_count', '+', p.objections),
        }))
        .where('id', '=', p.id),
    ),
  };
}

/**
 * The proposals projection's fold during a rebuild: the same views as the inline fold (projection.ts), with
 * each proposal's row written once per page (its counters, version and time moved in memory, event by
 * event) instead of one `UPDATE` per counted event. Endorsements and objections are written as they come
 * (their order within a page matters). Comments are not folded, inline or here.
 */
export function proposalsRebuildFold(sqlite: Sqlite, shared: ProjectionStatements) {
  const statements = { ...shared, ...pageStatements(sqlite) };
  /** Each proposal touched in the current page, in the order first touched. */
  const pending = new Map<string, Pending>();
  return {
    fold: (stored: StoredEvent) => foldEvent(pending, statements, stored),
    endPage: () => {
      for (const [id, entry] of pending) writeRow(statements, id, entry);
      pending.clear();
    },
    /** Forgets what a page held (a rebuild begins or ends). */
    reset() {
      pending.clear();
    },
  };
}

type Statements = ProjectionStatements & ReturnType<typeof pageStatements>;

const newPending = (): Pending => ({
  submitted: undefined,
  version: 0,
  updatedAt: '',
  moves: 0,
  endorsements: 0,
  objections: 0,
  revised: undefined,
  status: undefined,
  consultation: undefined,
});

/** The pending row of a proposal, moved to an event of it other than a comment (in position order). */
function pendingFor(pending: Map<string, Pending>, id: string, stored: StoredEvent): Pending {
  let entry = pending.get(id);
  if (!entry) {
    entry = newPending();
    pending.set(id, entry);
  }
  entry.version = stored.version;
  entry.updatedAt = stored.recordedAt;
  entry.moves += 1;
  return entry;
}

/** Writes what the page did to a proposal's row, leaving the row the inline fold would have left. */
function writeRow(statements: Statements, id: string, entry: Pending): void {
  const submitted = entry.submitted;
  if (submitted) {
    const [title, body, revision] = entry.revised ?? [submitted.title, submitted.body, 1];
    const [status, decision] = entry.status ?? ['open', null];
    const consultation = entry.consultation ?? { closes_at: submitted.closesAt, consultation_closed_at: null };
    const { seq, pillars, visibility, createdAt } = submitted;
    statements.insertFull.run({
      id,
      group_id: submitted.groupId,
      seq,
      title,
      body,
      pillars,
      visibility,
      status,
      version: entry.version,
      revision,
      author_entity_id: submitted.authorEntityId,
      endorsement_count: entry.endorsements,
      objection_count: entry.objections,
      // Of the events after its submission up to the row's version, all but the other `moves` were comments.
      comment_count: entry.version - submitted.version - (entry.moves - 1),
      decision,
      ...consultation,
      created_at: createdAt,
      updated_at: entry.updatedAt,
    });
    return;
  }
  const { version, moves, endorsements, objections } = entry;
  statements.moveCounters.run({ id, version, moves, at: entry.updatedAt, endorsements, objections });
  if (entry.revised) {
    const [title, body, revision] = entry.revised;
    statements.revise.run({ id, title, body, revision });
  }
  if (entry.status) statements.setStatus.run({ id, status: entry.status[0], decision: entry.status[1] });
  if (entry.consultation) statements.setConsultation.run({ id, ...entry.consultation });
}

/**
 * One event of a page. A rebuild replays events that were validated when appended (the log is append-only
 * and hash-chained), and this fold only reads their fields, so it folds them as stored, unparsed: a
 * trade-off made for replay speed.
 */
function foldEvent(pending: Map<string, Pending>, statements: Statements, stored: StoredEvent): void {
  const event = stored as unknown as ProposalEvent;
  const at = stored.recordedAt;
  if (event.type === 'CommentPosted') return;
  const id = event.data.proposalId;
  const entry = () => pendingFor(pending, id, stored);
  const row = { proposal_id: id, at, seq: stored.position };
  switch (event.type) {
    case 'ProposalSubmitted': {
      // Whatever an earlier event of this page did to a proposal not yet submitted touched no row inline.
      pending.delete(id);
      const { groupId, title, body, pillars, visibility, authorEntityId } = event.data;
      entry().submitted = {
        groupId,
        seq: stored.position,
        version: stored.version,
        title,
        body,
        pillars: JSON.stringify(pillars),
        visibility,
        authorEntityId,
        closesAt: event.data.closesAt ?? null,
        createdAt: at,
      };
      return;
    }
    case 'ProposalRevised':
      entry().revised = [event.data.title, event.data.body, event.data.revision];
      return;
    case 'ProposalEndorsed':
      statements.insertEndorsement.run({
        ...row,
        entity_id: event.data.entityId,
        revision: event.data.revision,
        note: event.data.note,
      });
      entry().endorsements += 1;
      return;
    case 'EndorsementWithdrawn':
      statements.deleteEndorsement.run({ proposalId: id, entityId: event.data.entityId });
      entry().endorsements -= 1;
      return;
    case 'ObjectionRaised':
      statements.insertObjection.run({ ...row, entity_id: event.data.entityId, reason: event.data.reason });
      entry().objections += 1;
      return;
    case 'ObjectionWithdrawn':
      statements.deleteObjection.run({ proposalId: id, entityId: event.data.entityId });
      entry().objections -= 1;
      return;
    case 'ProposalWithdrawn':
      entry().status = ['withdrawn', null];
      return;
    case 'ProposalDecided': {
      entry().status = [event.data.outcome, decisionJson(event.data, at)];
      return;
    }
    case 'ConsultationRescheduled':
    case 'ConsultationClosed':
      entry().consultation = consultationColumns(event);
      return;
  }
}

/** Rebuild only: what a page did to one proposal's row, written once at the end of the page. */
interface Pending {
  /** Set when the proposal was submitted in this page: its row is inserted whole at the end of the page. */
  submitted:
    | {
        groupId: string;
        seq: number;
        version: number;
        title: string;
        body: string;
        pillars: string;
        visibility: ProposalsTable['visibility'];
        authorEntityId: string;
        closesAt: string | null;
        createdAt: string;
      }
    | undefined;
  /** The stream version and time of the proposal's last event in the page other than a comment. */
  version: number;
  updatedAt: string;
  /** Events of the page other than comments that moved the row (its submission included). */
  moves: number;
  endorsements: number;
  objections: number;
  /** The last revision in the page: title, body, revision. */
  revised: [string, string, number] | undefined;
  /** The last status change in the page: status, decision. */
  status: [ProposalsTable['status'], string | null] | undefined;
  /** The deadline columns after the last deadline event in the page. */
  consultation: Pick<ProposalsTable, 'closes_at' | 'consultation_closed_at'> | undefined;
}
