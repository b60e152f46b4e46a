import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { PROPOSAL_EVENT_TYPES, ProposalEvent } from './events';
import { proposalsRebuildFold } from './rebuild/rebuildFold';

/**
 * The proposal events the views fold: all but comments. A comment is never edited or removed, so the views
 * read comments from the log itself (a proposal's are its stream's `CommentPosted` events, `queries.ts`),
 * and a comment's commit writes the log's row and nothing else.
 */
const FOLDED: ReadonlySet<string> = new Set([...PROPOSAL_EVENT_TYPES].filter((type) => type !== 'CommentPosted'));

/**
 * Folds proposal events into the proposal views. The search index over their text is not kept here but
 * follows the log after each commit (see `SearchIndex`).
 *
 * A proposal's row is not rewritten for a comment either. The row holds the proposal as of its last event
 * other than a comment (`version`, `updated_at`, `comment_count` then); every later event of the stream is
 * a comment, so the readers take the version and time from the log's head of the stream and add the
 * comments since (`queries.ts`). The next event that does touch the row settles the count first: the
 * events between the row's version and its own were all comments. (Measured: a comment's commit wrote 6.6
 * pages, 1.85 of them for the comment's copy in a table clustered by proposal and one for the proposal's
 * row; it now writes the log's 3.5 and the search index's share. A durable append is bound by its pages.)
 */
export function proposalsProjection(sqlite: Sqlite): Projection {
  const insertProposal = sqlite.prepare(
    `INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision, author_entity_id,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, 1, ?, ?, ?)`,
  );
  // Moves the row to an event of its proposal, counting the comments posted since the row's version.
  const settled = 'comment_count = comment_count + (? - 1 - version), version = ?, updated_at = ?';
  const touch = sqlite.prepare(`UPDATE proposals SET ${settled} WHERE id = ?`);
  const revise = sqlite.prepare('UPDATE proposals SET title = ?, body = ?, revision = ? WHERE id = ?');
  const setStatus = sqlite.prepare('UPDATE proposals SET status = ?, decision = ? WHERE id = ?');
  // A counted event touches its proposal and moves its counter in one statement (one row update, not two).
  const count = (column: string) =>
    sqlite.prepare(`UPDATE proposals SET ${settled}, ${column} = ${column} + ? WHERE id = ?`);
  const countEndorsements = count('endorsement_count');
  const countObjections = count('objection_count');
  const insertEndorsement = sqlite.prepare(
    'INSERT INTO proposal_endorsements (proposal_id, entity_id, revision, note, at, seq) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const deleteEndorsement = sqlite.prepare('DELETE FROM proposal_endorsements WHERE proposal_id = ? AND entity_id = ?');
  const insertObjection = sqlite.prepare(
    'INSERT INTO proposal_objections (proposal_id, entity_id, reason, at, seq) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteObjection = sqlite.prepare('DELETE FROM proposal_objections WHERE proposal_id = ? AND entity_id = ?');
  const moveTo = (stored: StoredEvent) => [stored.version, stored.version, stored.recordedAt] as const;
  // A rebuild folds events its own way (rebuildFold.ts): same views, fewer writes.
  const rebuild = proposalsRebuildFold(sqlite, {
    revise,
    setStatus,
    insertEndorsement,
    deleteEndorsement,
    insertObjection,
    deleteObjection,
  });
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
      if (rebuilding) {
        rebuild.fold(stored);
        return;
      }
      const event = ProposalEvent.parse({ type: stored.type, data: stored.data });
      const id = event.data.proposalId;
      const at = stored.recordedAt;
      if (event.type === 'ProposalSubmitted') {
        const { groupId, title, body, pillars, visibility, authorEntityId } = event.data;
        insertProposal.run(
          id,
          groupId,
          stored.position,
          title,
          body,
          JSON.stringify(pillars),
          visibility,
          stored.version,
          authorEntityId,
          at,
          at,
        );
        return;
      }
      switch (event.type) {
        case 'ProposalRevised': {
          touch.run(...moveTo(stored), id);
          const { title, body, revision } = event.data;
          revise.run(title, body, revision, id);
          return;
        }
        case 'CommentPosted':
          return;
        case 'ProposalEndorsed':
          insertEndorsement.run(id, event.data.entityId, event.data.revision, event.data.note, at, stored.position);
          countEndorsements.run(...moveTo(stored), 1, id);
          return;
        case 'EndorsementWithdrawn':
          deleteEndorsement.run(id, event.data.entityId);
          countEndorsements.run(...moveTo(stored), -1, id);
          return;
        case 'ObjectionRaised':
          insertObjection.run(id, event.data.entityId, event.data.reason, at, stored.position);
          countObjections.run(...moveTo(stored), 1, id);
          return;
        case 'ObjectionWithdrawn':
          deleteObjection.run(id, event.data.entityId);
          countObjections.run(...moveTo(stored), -1, id);
          return;
        case 'ProposalWithdrawn':
          touch.run(...moveTo(stored), id);
          setStatus.run('withdrawn', null, id);
          return;
        case 'ProposalDecided': {
          const { outcome, note, chairEntityId, overriddenObjections } = event.data;
          touch.run(...moveTo(stored), id);
          setStatus.run(outcome, JSON.stringify({ outcome, note, chairEntityId, overriddenObjections, at }), id);
          return;
        }
      }
    },
  };
}
