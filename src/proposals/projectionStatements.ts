import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, ProposalEndorsementsTable, ProposalObjectionsTable, ProposalsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { ProposalEvent } from './events';

type Row = ProposalsTable;
type Id = { id: string };
/** Where the row moves to: an event of its proposal (its stream version and time). */
type Move = Id & { version: number; at: string };
type Stance = { proposalId: string; entityId: string };

/**
 * The statements that write the proposal views, shared by the inline fold (projection.ts) and the
 * rebuild's (rebuild/rebuildFold.ts); prepared once, when the projection is created.
 */
export function projectionStatements(sqlite: Sqlite) {
  // A counted event touches its proposal and moves its counter in one statement (one row update, not two).
  const moveAndCount = (counter: 'endorsement_count' | 'objection_count') =>
    prepare(sqlite, (db, p: Params<Move & { delta: number }>) =>
      db
        .updateTable('proposals')
        .set((eb) => ({ ...settled(eb, p), [counter]: eb(counter, '+', p.delta) }))
        .where('id', '=', p.id),
    );
  return {
    insertProposal: prepare(
      sqlite,
      (
        db,
        p: Params<
          Omit<
            Row,
            | 'status'
            | 'revision'
            | 'endorsement_count'
            | 'objection_count'
            | 'comment_count'
            | 'decision'
            | 'consultation_closed_at'
          >
        >,
      ) =>
        db.insertInto('proposals').values({
          id: p.id,
          group_id: p.group_id,
          seq: p.seq,
          title: p.title,
          body: p.body,
          pillars: p.pillars,
          visibility: p.visibility,
          status: sql.lit('open'),
          version: p.version,
          revision: sql.lit(1),
          author_entity_id: p.author_entity_id,
          closes_at: p.closes_at,
          created_at: p.created_at,
          updated_at: p.updated_at,
        }),
    ),
    touch: prepare(sqlite, (db, p: Params<Move>) =>
      db
        .updateTable('proposals')
        .set((eb) => settled(eb, p))
        .where('id', '=', p.id),
    ),
    countEndorsements: moveAndCount('endorsement_count'),
    countObjections: moveAndCount('objection_count'),
    revise: prepare(sqlite, (db, p: Params<Id & Pick<Row, 'title' | 'body' | 'revision'>>) =>
      db.updateTable('proposals').set({ title: p.title, body: p.body, revision: p.revision }).where('id', '=', p.id),
    ),
    setStatus: prepare(sqlite, (db, p: Params<Id & Pick<Row, 'status' | 'decision'>>) =>
      db.updateTable('proposals').set({ status: p.status, decision: p.decision }).where('id', '=', p.id),
    ),
    ...stanceStatements(sqlite),
    ...consultationStatements(sqlite),
  };
}

export type ProjectionStatements = ReturnType<typeof projectionStatements>;

/** The decision column of a decided proposal: the view's `Decision`, as JSON (the inline and rebuild folds). */
export function decisionJson(data: Extract<ProposalEvent, { type: 'ProposalDecided' }>['data'], at: string): string {
  const { outcome, note, chairEntityId, overriddenObjections } = data;
  return JSON.stringify({ outcome, note, chairEntityId, overriddenObjections, at });
}

/**
 * A proposal's deadline columns after a deadline event (the inline and rebuild folds). A closing event's
 * `dueAt` is the deadline in force when it fired (the firing is decided on that), so it sets both columns.
 */
export function consultationColumns(
  event: Extract<ProposalEvent, { type: 'ConsultationRescheduled' | 'ConsultationClosed' }>,
): Pick<Row, 'closes_at' | 'consultation_closed_at'> {
  if (event.type === 'ConsultationClosed')
    return { closes_at: event.data.dueAt, consultation_closed_at: event.data.firedAt };
  return { closes_at: event.data.closesAt, consultation_closed_at: null };
}

/** Moves a row to an event of its proposal, counting the comments posted since the row's version. */
function settled(eb: ExpressionBuilder<Database, 'proposals'>, p: Params<Move>) {
  return {
    comment_count: eb('comment_count', '+', eb(eb(p.version, '-', sql.lit(1)), '-', eb.ref('version'))),
    version: p.version,
    updated_at: p.at,
  };
}

/** The deadline, and when the consultation closed for it (null while open: a new deadline reopens it). */
function consultationStatements(sqlite: Sqlite) {
  return {
    setConsultation: prepare(sqlite, (db, p: Params<Id & Pick<Row, 'closes_at' | 'consultation_closed_at'>>) =>
      db
        .updateTable('proposals')
        .set({ closes_at: p.closes_at, consultation_closed_at: p.consultation_closed_at })
        .where('id', '=', p.id),
    ),
  };
}

/** Who endorses and who objects, in the order they did. */
function stanceStatements(sqlite: Sqlite) {
  return {
    insertEndorsement: prepare(sqlite, (db, p: Params<ProposalEndorsementsTable>) =>
      db.insertInto('proposal_endorsements').values({
        proposal_id: p.proposal_id,
        entity_id: p.entity_id,
        revision: p.revision,
        note: p.note,
        at: p.at,
        seq: p.seq,
      }),
    ),
    deleteEndorsement: prepare(sqlite, (db, p: Params<Stance>) =>
      db
        .deleteFrom('proposal_endorsements')
        .where('proposal_id', '=', p.proposalId)
        .where('entity_id', '=', p.entityId),
    ),
    insertObjection: prepare(sqlite, (db, p: Params<ProposalObjectionsTable>) =>
      db.insertInto('proposal_objections').values({
        proposal_id: p.proposal_id,
        entity_id: p.entity_id,
        reason: p.reason,
        at: p.at,
        seq: p.seq,
      }),
    ),
    deleteObjection: prepare(sqlite, (db, p: Params<Stance>) =>
      db.deleteFrom('proposal_objections').where('proposal_id', '=', p.proposalId).where('entity_id', '=', p.entityId),
    ),
  };
}
