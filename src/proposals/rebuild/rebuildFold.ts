import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../eventStore/database';
import type { StoredEvent } from '../../eventStore/types';
import type { ProposalEvent } from '../events';

/** The statements the rebuild's fold shares with the inline projection. */
export interface SharedStatements {
  revise: Statement;
  setStatus: Statement;
  insertEndorsement: Statement;
  deleteEndorsement: Statement;
  insertObjection: Statement;
  deleteObjection: Statement;
}

/**
 * The proposals projection's fold during a rebuild: the same views as the inline fold (projection.ts), with
 * each proposal's row written once per page.
 */
export function proposalsRebuildFold(sqlite: Sqlite, shared: SharedStatements) {
  const { revise, setStatus, insertEndorsement, deleteEndorsement, insertObjection, deleteObjection } = shared;
  // A rebuild writes a proposal's row once per page (see `Pending`): the row's final state for a proposal
  // submitted within the page, one update of the moved columns for the others.
  const insertFull = sqlite.prepare(
    `INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision, author_entity_id,
       endorsement_count, objection_count, comment_count, decision, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The row moves as the inline fold would have moved it, event by event: the events between the row's
  // version and the page's last event other than a comment, those `moves` events aside, were comments.
  const moveCounters = sqlite.prepare(
    `UPDATE proposals SET comment_count = comment_count + (? - version - ?), version = ?, updated_at = ?,
       endorsement_count = endorsement_count + ?, objection_count = objection_count + ? WHERE id = ?`,
  );
  /** Rebuild only: each proposal touched in the current page, in the order first touched. */
  const pending = new Map<string, Pending>();

  const newPending = (id: string): Pending => {
    const entry: Pending = {
      submitted: undefined,
      version: 0,
      updatedAt: '',
      moves: 0,
      endorsements: 0,
      objections: 0,
      revised: undefined,
      status: undefined,
    };
    pending.set(id, entry);
    return entry;
  };
  /**
   * The pending row of a proposal, moved to an event of it other than a comment (events of a page come here
   * in position order).
   */
  const pendingFor = (id: string, stored: StoredEvent): Pending => {
    const entry = pending.get(id) ?? newPending(id);
    entry.version = stored.version;
    entry.updatedAt = stored.recordedAt;
    entry.moves += 1;
    return entry;
  };
  /**
   * The end of a page: writes what the page did to each proposal's row, leaving the rows the inline path
   * would have left after the page's last event: one write per touched row per page instead of one
   * `UPDATE` per counted event.
   */
  const endPage = () => {
    for (const [id, entry] of pending) {
      const submitted = entry.submitted;
      if (submitted) {
        const [title, body, revision] = entry.revised ?? [submitted.title, submitted.body, 1];
        const [status, decision] = entry.status ?? ['open', null];
        // Of the events after its submission up to the row's version, all but the other `moves` were comments.
        insertFull.run(
          id,
          submitted.groupId,
          submitted.seq,
          title,
          body,
          submitted.pillars,
          submitted.visibility,
          status,
          entry.version,
          revision,
          submitted.authorEntityId,
          entry.endorsements,
          entry.objections,
          entry.version - submitted.version - (entry.moves - 1),
          decision,
          submitted.createdAt,
          entry.updatedAt,
        );
        continue;
      }
      moveCounters.run(
        entry.version,
        entry.moves,
        entry.version,
        entry.updatedAt,
        entry.endorsements,
        entry.objections,
        id,
      );
      if (entry.revised) revise.run(entry.revised[0], entry.revised[1], entry.revised[2], id);
      if (entry.status) setStatus.run(entry.status[0], entry.status[1], id);
    }
    pending.clear();
  };

  /**
   * A rebuild's fold: same outcome as the inline one (projection.ts), but a proposal's row is written once per page
   * (its counters, version and time moved in memory, event by event). Endorsements and objections are
   * written as they come (their order within a page matters). Comments are not folded, inline or here (the
   * projection does not ask for them in a rebuild).
   */
  const fold = (stored: StoredEvent) => {
    // A rebuild replays events that were validated when appended (the log is append-only and
    // hash-chained), and this fold only reads their fields (nothing is re-serialised from the parsed
    // object), so it folds them as stored (the event itself: its type and data are all it reads): trade-off
    // made for replay speed.
    const event = stored as unknown as ProposalEvent;
    const at = stored.recordedAt;
    if (event.type === 'CommentPosted') return;
    const id = event.data.proposalId;
    switch (event.type) {
      case 'ProposalSubmitted': {
        // Whatever an earlier event of this page did to a proposal not yet submitted touched no row inline.
        pending.delete(id);
        newPending(id);
        const { groupId, title, body, pillars, visibility, authorEntityId } = event.data;
        pendingFor(id, stored).submitted = {
          groupId,
          seq: stored.position,
          version: stored.version,
          title,
          body,
          pillars: JSON.stringify(pillars),
          visibility,
          authorEntityId,
          createdAt: at,
        };
        return;
      }
      case 'ProposalRevised':
        pendingFor(id, stored).revised = [event.data.title, event.data.body, event.data.revision];
        return;
      case 'ProposalEndorsed':
        insertEndorsement.run(id, event.data.entityId, event.data.revision, event.data.note, at, stored.position);
        pendingFor(id, stored).endorsements += 1;
        return;
      case 'EndorsementWithdrawn':
        deleteEndorsement.run(id, event.data.entityId);
        pendingFor(id, stored).endorsements -= 1;
        return;
      case 'ObjectionRaised':
        insertObjection.run(id, event.data.entityId, event.data.reason, at, stored.position);
        pendingFor(id, stored).objections += 1;
        return;
      case 'ObjectionWithdrawn':
        deleteObjection.run(id, event.data.entityId);
        pendingFor(id, stored).objections -= 1;
        return;
      case 'ProposalWithdrawn':
        pendingFor(id, stored).status = ['withdrawn', null];
        return;
      case 'ProposalDecided': {
        const { outcome, note, chairEntityId, overriddenObjections } = event.data;
        pendingFor(id, stored).status = [
          outcome,
          JSON.stringify({ outcome, note, chairEntityId, overriddenObjections, at }),
        ];
        return;
      }
    }
  };

  return {
    fold,
    endPage,
    /** Forgets what a page held (a rebuild begins or ends). */
    reset() {
      pending.clear();
    },
  };
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
        visibility: string;
        authorEntityId: string;
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
  status: [string, string | null] | undefined;
}
