import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../eventStore/database';
import { storedDataText } from '../eventStore/replayedEvent';
import type { StoredEvent } from '../eventStore/types';
import type { ProposalEvent } from './events';

/** A comment row as insertComment takes it: proposal_id, id, seq, entity_id, body, reply_to, at. */
type CommentRow = [string, string, number, string | null, string, string | null, string];

const PROPOSAL_ID_KEY = '"proposalId":"';

/**
 * The proposal id in a stored event's data JSON, when that JSON has no backslash (so no escape: every
 * string in it is its text as is, and a `"` always delimits one), else undefined. `"proposalId":"` can then
 * only be the key itself: inside a string a quote would be escaped.
 */
function plainProposalId(text: string): string | undefined {
  if (text.includes('\\')) return undefined;
  const key = text.indexOf(PROPOSAL_ID_KEY);
  if (key < 0) return undefined;
  const start = key + PROPOSAL_ID_KEY.length;
  const end = text.indexOf('"', start);
  return end < 0 ? undefined : text.slice(start, end);
}

/** The statements the rebuild's fold shares with the inline projection. */
export interface SharedStatements {
  revise: Statement;
  setStatus: Statement;
  insertEndorsement: Statement;
  deleteEndorsement: Statement;
  insertObjection: Statement;
  deleteObjection: Statement;
  insertComment: Statement;
}

/**
 * The proposals projection's fold during a rebuild: the same views as the inline fold (projection.ts), with
 * each proposal's row written once per page and comments inserted in bulk at the end of each page.
 */
export function proposalsRebuildFold(sqlite: Sqlite, shared: SharedStatements) {
  const { revise, setStatus, insertEndorsement, deleteEndorsement, insertObjection, deleteObjection, insertComment } = shared;
  // A rebuild writes a proposal's row once per page (see `Pending`): the row's final state for a proposal
  // submitted within the page, one update of the moved columns for the others.
  const insertFull = sqlite.prepare(
    `INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision, author_entity_id,
       endorsement_count, objection_count, comment_count, decision, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const moveCounters = sqlite.prepare(
    `UPDATE proposals SET version = ?, updated_at = ?, endorsement_count = endorsement_count + ?,
       objection_count = objection_count + ?, comment_count = comment_count + ? WHERE id = ?`,
  );
  // A rebuild inserts a comment from its stored JSON when that JSON has no backslash (no escape at all):
  // its strings are then the stored bytes themselves, so SQLite's ->> gives exactly what JSON.parse would,
  // and the comment costs one bound string instead of a parse and five. Profiled on a 1,000,000-event log:
  // JSON.parse, the strings it makes and their conversion back to UTF-8 for binding were most of the
  // JavaScript side of the replay. Any other comment takes the inline path's values (JSON.parse).
  const insertCommentJson = sqlite.prepare<[{ data: string; seq: number; at: string }]>(
    `INSERT INTO proposal_comments (proposal_id, id, seq, entity_id, body, reply_to, at)
     VALUES (@data ->> '$.proposalId', @data ->> '$.commentId', @seq, @data ->> '$.entityId', @data ->> '$.body',
             @data ->> '$.replyTo', @at)`,
  );
  /** Rebuild only: each proposal touched in the current page, in the order first touched. */
  const pending = new Map<string, Pending>();
  /** Rebuild only: the page's comment rows (insertComment's values), inserted at the end of the page. */
  let comments: CommentRow[] = [];
  /** Rebuild only: the page's comments taken from their stored JSON (insertCommentJson's values). */
  let commentTexts: { data: string; seq: number; at: string }[] = [];

  const newPending = (id: string): Pending => {
    const entry: Pending = {
      submitted: undefined, version: 0, updatedAt: '', endorsements: 0, objections: 0, comments: 0, revised: undefined, status: undefined,
    };
    pending.set(id, entry);
    return entry;
  };
  /** The pending row of a proposal, moved to an event of it (events of a page come here in position order). */
  const pendingFor = (id: string, stored: StoredEvent): Pending => {
    const entry = pending.get(id) ?? newPending(id);
    entry.version = stored.version;
    entry.updatedAt = stored.recordedAt;
    return entry;
  };
  /**
   * The end of a page: inserts its comments, then writes what the page did to each proposal's row, leaving
   * the rows the inline path would have left after the page's last event: one write per touched row per
   * page instead of one `UPDATE` per counted event (a page of 5,000 comments on 200 open proposals writes
   * 200 proposal rows, not 5,000).
   */
  const endPage = () => {
    for (const row of comments) insertComment.run(row);
    for (const row of commentTexts) insertCommentJson.run(row);
    comments = [];
    commentTexts = [];
    for (const [id, entry] of pending) {
      const submitted = entry.submitted;
      if (submitted) {
        const [title, body, revision] = entry.revised ?? [submitted.title, submitted.body, 1];
        const [status, decision] = entry.status ?? ['open', null];
        insertFull.run(
          id, submitted.groupId, submitted.seq, title, body, submitted.pillars, submitted.visibility, status, entry.version, revision,
          submitted.authorEntityId, entry.endorsements, entry.objections, entry.comments, decision, submitted.createdAt, entry.updatedAt,
        );
        continue;
      }
      moveCounters.run(entry.version, entry.updatedAt, entry.endorsements, entry.objections, entry.comments, id);
      if (entry.revised) revise.run(entry.revised[0], entry.revised[1], entry.revised[2], id);
      if (entry.status) setStatus.run(entry.status[0], entry.status[1], id);
    }
    pending.clear();
  };

  /**
   * A rebuild's fold: same outcome as the inline one (projection.ts), but a proposal's row is written once per page
   * (its counters, version and time moved in memory, event by event) and comments are inserted in bulk.
   * Endorsements and objections are written as they come (their order within a page matters).
   */
  const fold = (stored: StoredEvent) => {
    // A rebuild replays events that were validated when appended (the log is append-only and
    // hash-chained), and this fold only reads their fields (nothing is re-serialised from the parsed
    // object), so it folds them as stored (the event itself: its type and data are all it reads): trade-off
    // made for replay speed.
    const event = stored as unknown as ProposalEvent;
    const at = stored.recordedAt;
    if (event.type === 'CommentPosted') {
      const text = storedDataText(stored);
      const proposalId = text === undefined ? undefined : plainProposalId(text);
      if (text !== undefined && proposalId !== undefined) {
        commentTexts.push({ data: text, seq: stored.position, at });
        pendingFor(proposalId, stored).comments += 1;
        return;
      }
    }
    const id = event.data.proposalId;
    switch (event.type) {
      case 'ProposalSubmitted': {
        // Whatever an earlier event of this page did to a proposal not yet submitted touched no row inline.
        pending.delete(id);
        newPending(id);
        const { groupId, title, body, pillars, visibility, authorEntityId } = event.data;
        pendingFor(id, stored).submitted = {
          groupId, seq: stored.position, title, body, pillars: JSON.stringify(pillars), visibility, authorEntityId, createdAt: at,
        };
        return;
      }
      case 'ProposalRevised':
        pendingFor(id, stored).revised = [event.data.title, event.data.body, event.data.revision];
        return;
      case 'CommentPosted': {
        const { commentId, entityId, body, replyTo } = event.data;
        comments.push([id, commentId, stored.position, entityId, body, replyTo, at]);
        pendingFor(id, stored).comments += 1;
        return;
      }
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
        pendingFor(id, stored).status = [outcome, JSON.stringify({ outcome, note, chairEntityId, overriddenObjections, at })];
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
      comments = [];
      commentTexts = [];
    },
  };
}

/** Rebuild only: what a page did to one proposal's row, written once at the end of the page. */
interface Pending {
  /** Set when the proposal was submitted in this page: its row is inserted whole at the end of the page. */
  submitted:
    | { groupId: string; seq: number; title: string; body: string; pillars: string; visibility: string; authorEntityId: string; createdAt: string }
    | undefined;
  /** The stream version and time of the proposal's last event in the page. */
  version: number;
  updatedAt: string;
  endorsements: number;
  objections: number;
  comments: number;
  /** The last revision in the page: title, body, revision. */
  revised: [string, string, number] | undefined;
  /** The last status change in the page: status, decision. */
  status: [string, string | null] | undefined;
}
