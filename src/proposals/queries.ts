import { actionItemsOfProposal } from '../actionItems/queries';
import type { Visibility } from '../dialogue/visibility';
import { preparedPerConnection, readTogether, type Sqlite } from '../eventStore/database';
import { type ProposalStatus, proposalStream } from './events';
import { ftsQuery, searchHits } from './search';
import { searchTables } from './searchTables';
import {
  type Comment,
  Decision,
  LISTED_ACTION_ITEMS,
  type ProposalSummary,
  type ProposalView,
  RECENT_COMMENTS,
} from './views';

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
  /** The version and time of the last event of the proposal's stream, from the log (see `atHead`). */
  head_version: number | null;
  head_at: string | null;
}

/**
 * A proposal's row with the head of its stream in the log. The row holds the proposal as of its last event
 * other than a comment (the projection does not rewrite it for comments): `atHead` adds what came since.
 */
const HEAD = `LEFT JOIN events h ON h.position = (
  SELECT position FROM events WHERE stream_id = '${proposalStream('')}' || p.id ORDER BY version DESC LIMIT 1)`;
const WITH_HEAD = `proposals p ${HEAD}`;
const ROW = 'p.*, h.version AS head_version, h.recorded_at AS head_at';

/** The version, time of the last event and comment count of a proposal, at the head of its stream. */
function atHead(row: ProposalRow): { version: number; updatedAt: string; comments: number } {
  // Every event after the row's version is a comment (the projection moves the row for any other event).
  if (row.head_version === null || row.head_at === null || row.head_version <= row.version) {
    return { version: row.version, updatedAt: row.updated_at, comments: row.comment_count };
  }
  return {
    version: row.head_version,
    updatedAt: row.head_at,
    comments: row.comment_count + row.head_version - row.version,
  };
}

/**
 * A comment's view as JSON, from its event's stored data (validated when it was appended, and the log is
 * append-only) and time: `->` gives a field of the stored data as the JSON text it was stored as
 * (`JSON.stringify` output), so parsing it gives back exactly the strings that were appended. The schema
 * stores every field of a comment; were one missing, it would read as null rather than vanish.
 */
const COMMENT_JSON = `'{"id":' || coalesce(data -> '$.commentId', 'null') || ',"entityId":' || coalesce(data -> '$.entityId', 'null')
  || ',"body":' || coalesce(data -> '$.body', 'null') || ',"replyTo":' || coalesce(data -> '$.replyTo', 'null')
  || ',"at":' || json_quote(recorded_at) || '}'`;

interface CommentRow {
  version: number;
  json: string;
}

function prepare(sqlite: Sqlite) {
  return {
    proposal: sqlite.prepare<[string], ProposalRow>(`SELECT ${ROW} FROM ${WITH_HEAD} WHERE p.id = ?`),
    ofGroup: sqlite.prepare<[string], ProposalRow>(
      `SELECT ${ROW} FROM ${WITH_HEAD} WHERE p.group_id = ? ORDER BY p.seq`,
    ),
    facts: sqlite.prepare<[string], Pick<ProposalRow, 'id' | 'group_id' | 'visibility' | 'status' | 'title'>>(
      'SELECT id, group_id, visibility, status, title FROM proposals WHERE id = ?',
    ),
    endorsements: sqlite.prepare<[string], { entityId: string; revision: number; note: string | null; at: string }>(
      'SELECT entity_id AS entityId, revision, note, at FROM proposal_endorsements WHERE proposal_id = ? ORDER BY seq',
    ),
    objections: sqlite.prepare<[string], { entityId: string; reason: string; at: string }>(
      'SELECT entity_id AS entityId, reason, at FROM proposal_objections WHERE proposal_id = ? ORDER BY seq',
    ),
    // Comments are read from the log: a proposal's are its stream's comment events (see projection.ts),
    // each as the JSON `JSON.stringify` makes of its view, assembled by SQLite (`COMMENT_JSON`).
    recentCommentsJson: sqlite
      .prepare<[string, number], string>(
        `SELECT '[' || coalesce(group_concat(json, ',' ORDER BY version), '') || ']' FROM (
           SELECT version, ${COMMENT_JSON} AS json FROM events WHERE stream_id = ? AND type = 'CommentPosted'
            ORDER BY version DESC LIMIT ?)`,
      )
      .pluck(),
    commentsAfter: sqlite.prepare<[string, number, number], CommentRow>(
      `SELECT version, ${COMMENT_JSON} AS json FROM events WHERE stream_id = ? AND type = 'CommentPosted' AND version > ? ORDER BY version LIMIT ?`,
    ),
    commentsBefore: sqlite.prepare<[string, number, number], CommentRow>(
      `SELECT version, ${COMMENT_JSON} AS json FROM events WHERE stream_id = ? AND type = 'CommentPosted' AND version < ?
        ORDER BY version DESC LIMIT ?`,
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
  const row = statementsOf(sqlite).facts.get(id);
  return row && { id: row.id, groupId: row.group_id, visibility: row.visibility, status: row.status, title: row.title };
}

/** What a summary and a full view share. */
function header(row: ProposalRow, version: number) {
  return {
    id: row.id,
    groupId: row.group_id,
    title: row.title,
    pillars: JSON.parse(row.pillars) as string[],
    visibility: row.visibility,
    status: row.status,
    version,
    revision: row.revision,
    authorEntityId: row.author_entity_id,
  };
}

/** A proposal's newest comments as the JSON array of their views, in stream order (`[]` for none). */
function recentCommentsJson(sqlite: Sqlite, id: string): string {
  return statementsOf(sqlite).recentCommentsJson.get(proposalStream(id), RECENT_COMMENTS) as string;
}

/** A view's fields before its comments, and after them (in `ProposalView`'s order). */
function viewParts(sqlite: Sqlite, row: ProposalRow) {
  const statements = statementsOf(sqlite);
  const head = atHead(row);
  const actionItems = actionItemsOfProposal(sqlite, row.id, LISTED_ACTION_ITEMS);
  return {
    before: {
      ...header(row, head.version),
      body: row.body,
      endorsements: statements.endorsements.all(row.id),
      objections: statements.objections.all(row.id),
    },
    after: {
      commentCount: head.comments,
      actionItems: actionItems.items,
      actionItemCount: actionItems.count,
      decision: row.decision === null ? null : Decision.parse(JSON.parse(row.decision)),
      createdAt: row.created_at,
      updatedAt: head.updatedAt,
    },
  };
}

function toView(sqlite: Sqlite, row: ProposalRow): ProposalView {
  const { before, after } = viewParts(sqlite, row);
  return { ...before, comments: JSON.parse(recentCommentsJson(sqlite, row.id)) as Comment[], ...after };
}

/** The full proposal view, unfiltered: the caller has checked that the reader may see it. */
export function loadProposalView(sqlite: Sqlite, id: string): ProposalView | undefined {
  // One read: the version (the view's ETag) and the comments, both from the log, agree.
  return readTogether(sqlite, () => {
    const row = statementsOf(sqlite).proposal.get(id);
    return row && toView(sqlite, row);
  });
}

/**
 * `JSON.stringify(loadProposalView(sqlite, id))`, with its group and visibility, for the live layer, which
 * sends views as JSON: the comments, most of a view, go from the log's stored text to the JSON without
 * becoming objects and strings in JavaScript and back (a catch-up renders every view of a group).
 */
export function proposalViewJson(
  sqlite: Sqlite,
  id: string,
): { groupId: string; visibility: Visibility; json: string } | undefined {
  return readTogether(sqlite, () => {
    const row = statementsOf(sqlite).proposal.get(id);
    if (!row) return undefined;
    const { before, after } = viewParts(sqlite, row);
    const json = `${JSON.stringify(before).slice(0, -1)},"comments":${recentCommentsJson(sqlite, row.id)},${JSON.stringify(after).slice(1)}`;
    return { groupId: row.group_id, visibility: row.visibility, json };
  });
}

/** Where a page of comments starts: after a comment (thread order) or before one (newest first). */
export type CommentPosition = { after: number } | { before: number };

/**
 * Up to `limit` comments of a proposal from a position, with each comment's version (the cursor of the next
 * page). Thread order (oldest first) by default; newest first from `before`.
 */
export function commentPage(
  sqlite: Sqlite,
  id: string,
  from: CommentPosition,
  limit: number,
): Array<{ version: number; comment: Comment }> {
  const statements = statementsOf(sqlite);
  const rows =
    'after' in from
      ? statements.commentsAfter.all(proposalStream(id), from.after, limit)
      : statements.commentsBefore.all(proposalStream(id), from.before, limit);
  return rows.map((row) => ({ version: row.version, comment: JSON.parse(row.json) as Comment }));
}

/** Every proposal of a group, oldest first, unfiltered (auditors' state at a position). */
export function groupProposalViews(sqlite: Sqlite, groupId: string): ProposalView[] {
  return readTogether(sqlite, () =>
    statementsOf(sqlite)
      .ofGroup.all(groupId)
      .map((row) => toView(sqlite, row)),
  );
}

function toSummary(row: ProposalRow & { rank?: number | null }): ProposalSummary {
  const head = atHead(row);
  const summary: ProposalSummary = {
    ...header(row, head.version),
    counts: { endorsements: row.endorsement_count, objections: row.objection_count, comments: head.comments },
    createdAt: row.created_at,
    lastActivityAt: head.updatedAt,
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
  let from = WITH_HEAD;
  let order = 'p.seq DESC';
  let select = ROW;
  if (query.q !== undefined) {
    const match = ftsQuery(query.q, 'all');
    // Only the group's tables the caller may see in whole: their statistics are all its scores rest on.
    const tables = searchTables.visible(sqlite, [query.groupId], query.includeMembers);
    if (match === null || tables.length === 0) return { items: [], seq: [] };
    // Each proposal's best row, whether its text or one of its comments matched.
    from = `${searchHits(tables)} s JOIN proposals p ON p.id = s.proposal_id ${HEAD}`;
    params.push(...tables.map(() => match));
    order = 's.rank, p.seq DESC';
    select = `${ROW}, s.rank AS rank`;
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
