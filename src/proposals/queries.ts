import { actionItemsOfProposal } from '../actionItems/queries';
import type { Visibility } from '../dialogue/visibility';
import { preparedPerConnection, type Sqlite } from '../eventStore/database';
import type { ProposalStatus } from './events';
import { BM25, ftsQuery, SEARCH_HITS } from './search';
import { Decision, type ProposalSummary, type ProposalView, type SimilarProposal } from './views';

interface ProposalRow {
  id: string;
  group_id: string;
  seq: number;
  title: string;
  body: string;
  pillars: string;
  visibility: Visibility;
  status: ProposalStatus;
  version: number;
  revision: number;
  author_entity_id: string;
  endorsement_count: number;
  objection_count: number;
  comment_count: number;
  decision: string | null;
  created_at: string;
  updated_at: string;
}

function prepare(sqlite: Sqlite) {
  return {
    proposal: sqlite.prepare<[string], ProposalRow>('SELECT * FROM proposals WHERE id = ?'),
    ofGroup: sqlite.prepare<[string], ProposalRow>('SELECT * FROM proposals WHERE group_id = ? ORDER BY seq'),
    endorsements: sqlite.prepare<[string], { entityId: string; revision: number; note: string | null; at: string }>(
      'SELECT entity_id AS entityId, revision, note, at FROM proposal_endorsements WHERE proposal_id = ? ORDER BY seq',
    ),
    objections: sqlite.prepare<[string], { entityId: string; reason: string; at: string }>(
      'SELECT entity_id AS entityId, reason, at FROM proposal_objections WHERE proposal_id = ? ORDER BY seq',
    ),
    comments: sqlite.prepare<[string], { id: string; entityId: string | null; body: string; replyTo: string | null; at: string }>(
      'SELECT id, entity_id AS entityId, body, reply_to AS replyTo, at FROM proposal_comments WHERE proposal_id = ? ORDER BY seq',
    ),
  };
}

/** Prepared once per connection: these run on every request and every fan-out. */
const statementsOf = preparedPerConnection(prepare);

/** The few facts other slices need about a proposal (an action item may implement an adopted one). */
export function proposalFacts(
  sqlite: Sqlite,
  id: string,
): { id: string; groupId: string; visibility: Visibility; status: ProposalStatus; title: string } | undefined {
  const row = statementsOf(sqlite).proposal.get(id);
  return row && { id: row.id, groupId: row.group_id, visibility: row.visibility, status: row.status, title: row.title };
}

/** What a summary and a full view share. */
function header(row: ProposalRow) {
  return {
    id: row.id,
    groupId: row.group_id,
    title: row.title,
    pillars: JSON.parse(row.pillars) as string[],
    visibility: row.visibility,
    status: row.status,
    version: row.version,
    revision: row.revision,
    authorEntityId: row.author_entity_id,
  };
}

function toView(sqlite: Sqlite, row: ProposalRow): ProposalView {
  const statements = statementsOf(sqlite);
  return {
    ...header(row),
    body: row.body,
    endorsements: statements.endorsements.all(row.id),
    objections: statements.objections.all(row.id),
    comments: statements.comments.all(row.id),
    actionItems: actionItemsOfProposal(sqlite, row.id),
    decision: row.decision === null ? null : Decision.parse(JSON.parse(row.decision)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The full proposal view, unfiltered: the caller has checked that the reader may see it. */
export function loadProposalView(sqlite: Sqlite, id: string): ProposalView | undefined {
  const row = statementsOf(sqlite).proposal.get(id);
  return row && toView(sqlite, row);
}

/** Every proposal of a group, oldest first, unfiltered (auditors' state at a position). */
export function groupProposalViews(sqlite: Sqlite, groupId: string): ProposalView[] {
  return statementsOf(sqlite).ofGroup.all(groupId).map((row) => toView(sqlite, row));
}

function toSummary(row: ProposalRow & { rank?: number | null }): ProposalSummary {
  const summary: ProposalSummary = {
    ...header(row),
    counts: { endorsements: row.endorsement_count, objections: row.objection_count, comments: row.comment_count },
    createdAt: row.created_at,
    lastActivityAt: row.updated_at,
  };
  if (typeof row.rank === 'number') summary.score = Math.round(-row.rank * 1000) / 1000;
  return summary;
}

export interface ProposalListQuery {
  groupId: string;
  /** False for observers: `members` proposals are not in their lists, counts or search. */
  includeMembers: boolean;
  status?: ProposalStatus | undefined;
  pillar?: string | undefined;
  q?: string | undefined;
  limit: number;
  /** Newest first by submission: `before` is the last seen submission's sequence number. */
  before?: number | undefined;
  /** Search results in rank order: `offset` into them. */
  offset?: number | undefined;
}

/** One page of a group's proposal summaries, newest first, or by relevance when searching. */
export function listProposals(sqlite: Sqlite, query: ProposalListQuery): { items: ProposalSummary[]; seq: number[] } {
  const where = ['p.group_id = ?'];
  const params: Array<string | number> = [];
  let from = 'proposals p';
  let order = 'p.seq DESC';
  let select = 'p.*';
  if (query.q !== undefined) {
    const match = ftsQuery(query.q, 'all');
    if (match === null) return { items: [], seq: [] };
    // Each proposal's best row, whether its text or one of its comments matched.
    from = `${SEARCH_HITS} s JOIN proposals p ON p.id = s.proposal_id`;
    params.push(match);
    order = 's.rank, p.seq DESC';
    select = 'p.*, s.rank AS rank';
  }
  params.push(query.groupId);
  if (!query.includeMembers) where.push("p.visibility = 'dialogue'");
  if (query.status) {
    where.push('p.status = ?');
    params.push(query.status);
  }
  if (query.pillar) {
    where.push('EXISTS (SELECT 1 FROM json_each(p.pillars) WHERE value = ?)');
    params.push(query.pillar);
  }
  if (query.before !== undefined) {
    where.push('p.seq < ?');
    params.push(query.before);
  }
  params.push(query.limit, query.offset ?? 0);
  const rows = sqlite
    .prepare<Array<string | number>, ProposalRow & { rank?: number }>(
      `SELECT ${select} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params);
  return { items: rows.map(toSummary), seq: rows.map((row) => row.seq) };
}

/**
 * The proposals most like a new one, across every group the author takes part in, that the author may see.
 * Scores are relative to the new proposal's own match (1 = as similar as the text is to itself).
 */
export function similarProposals(
  sqlite: Sqlite,
  proposal: { id: string; title: string; body: string },
  scope: { groups: readonly string[]; includeMembers: boolean },
  limit = 5,
): SimilarProposal[] {
  const match = ftsQuery(`${proposal.title} ${proposal.body}`, 'any');
  if (match === null || scope.groups.length === 0) return [];
  // Only a proposal's own text has the proposal's seq as its rowid (a comment's is its own position).
  const rows = sqlite
    .prepare<Array<string | number>, { id: string; group_id: string; title: string; rank: number }>(
      `SELECT p.id, p.group_id, p.title, ${BM25} AS rank
         FROM proposal_search JOIN proposals p ON p.seq = proposal_search.rowid
        WHERE proposal_search MATCH ?
          AND p.group_id IN (${scope.groups.map(() => '?').join(', ')})
          ${scope.includeMembers ? '' : "AND p.visibility = 'dialogue'"}
        ORDER BY rank LIMIT ?`,
    )
    .all(match, ...scope.groups, limit + 1);
  const self = rows.find((row) => row.id === proposal.id)?.rank ?? rows[0]?.rank;
  if (self === undefined || self >= 0) return [];
  return rows
    .filter((row) => row.id !== proposal.id)
    .map((row) => ({ id: row.id, groupId: row.group_id, title: row.title, score: Math.round(Math.min(1, row.rank / self) * 1000) / 1000 }))
    .filter((row) => row.score >= MIN_SIMILARITY)
    .slice(0, limit);
}

/** Below this share of the text's own score, a match is a shared word, not a shared subject. */
const MIN_SIMILARITY = 0.15;
