import { type Kysely, type NotNull, sql } from 'kysely';
import type { ActionItemQueries } from '../actionItems/queries';
import type { Database } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Visibility } from '../dialogue/visibility';
import { readsTogether, type Sqlite } from '../eventStore/database';
import { type ProposalStatus, proposalStream } from './events';
import { type ProposalListQuery, proposalList } from './list';
import { atHead, header, type ProposalRow, withHead } from './proposalRows';
import type { SearchTables } from './search/searchTables';
import { LISTED_ACTION_ITEMS, RECENT_COMMENTS } from './bounds';
// Types only: the views' schemas register with the OpenAPI document when first loaded, in the routes' order.
import type { Comment, Decision, ProposalView } from './views';

/**
 * A comment's view as JSON, from its event's stored data (validated when it was appended, and the log is
 * append-only) and time: `->` gives a field of the stored data as the JSON text it was stored as
 * (`JSON.stringify` output), so parsing it gives back exactly the strings that were appended. The schema
 * stores every field of a comment; were one missing, it would read as null rather than vanish.
 */
const COMMENT_JSON = `'{"id":' || coalesce(data -> '$.commentId', 'null') || ',"entityId":' || coalesce(data -> '$.entityId', 'null')
  || ',"body":' || coalesce(data -> '$.body', 'null') || ',"replyTo":' || coalesce(data -> '$.replyTo', 'null')
  || ',"at":' || json_quote(recorded_at) || '}'`;

type ById = Params<{ id: string }>;
type CommentsFrom = Params<{ streamId: string; at: number; limit: number }>;

/** A proposal's comment events, each with its view as JSON (JSON functions: `COMMENT_JSON`). */
const commentRows = (db: Kysely<Database>, p: CommentsFrom) =>
  db
    .selectFrom('events')
    .select(['version', sql<string>`${sql.raw(COMMENT_JSON)}`.as('json')])
    .where('stream_id', '=', p.streamId)
    .where('type', '=', sql.lit('CommentPosted'));

function statements(sqlite: Sqlite) {
  return {
    proposal: prepare(sqlite, (db, p: ById) => withHead(db).where('p.id', '=', p.id)),
    ofGroup: prepare(sqlite, (db, p: Params<{ groupId: string }>) =>
      withHead(db).where('p.group_id', '=', p.groupId).orderBy('p.seq'),
    ),
    // The consultations whose deadline has passed and not fired yet (index proposals_consultation_due).
    dueConsultations: prepare(sqlite, (db, p: Params<{ now: string; limit: number }>) =>
      db
        .selectFrom('proposals')
        .select(['id', 'closes_at as closesAt'])
        .where('status', '=', sql.lit('open'))
        .where('closes_at', 'is not', null)
        .where('consultation_closed_at', 'is', null)
        .where('closes_at', '<=', p.now)
        .orderBy('closes_at')
        .limit(p.limit)
        .$narrowType<{ closesAt: NotNull }>(),
    ),
    facts: prepare(sqlite, (db, p: ById) =>
      db.selectFrom('proposals').select(['id', 'group_id', 'visibility', 'status', 'title']).where('id', '=', p.id),
    ),
    endorsements: prepare(sqlite, (db, p: ById) =>
      db
        .selectFrom('proposal_endorsements')
        .select(['entity_id as entityId', 'revision', 'note', 'at'])
        .where('proposal_id', '=', p.id)
        .orderBy('seq'),
    ),
    objections: prepare(sqlite, (db, p: ById) =>
      db
        .selectFrom('proposal_objections')
        .select(['entity_id as entityId', 'reason', 'at'])
        .where('proposal_id', '=', p.id)
        .orderBy('seq'),
    ),
    // JSON functions and an ordered group_concat: the newest comments as one JSON array, assembled by SQLite.
    recentCommentsJson: sqlite
      .prepare<[{ streamId: string; limit: number }], string>(
        `SELECT '[' || coalesce(group_concat(json, ',' ORDER BY version), '') || ']' FROM (
           SELECT version, ${COMMENT_JSON} AS json FROM events WHERE stream_id = @streamId AND type = 'CommentPosted'
            ORDER BY version DESC LIMIT @limit)`,
      )
      .pluck(),
    commentsAfter: prepare(sqlite, (db, p: CommentsFrom) =>
      commentRows(db, p).where('version', '>', p.at).orderBy('version').limit(p.limit),
    ),
    commentsBefore: prepare(sqlite, (db, p: CommentsFrom) =>
      commentRows(db, p).where('version', '<', p.at).orderBy('version', 'desc').limit(p.limit),
    ),
  };
}

/** Where a page of comments starts: after a comment (thread order) or before one (newest first). */
export type CommentPosition = { after: number } | { before: number };

/** The facts other slices need about a proposal (an action item may implement an adopted one). */
export type ProposalFacts = {
  id: string;
  groupId: string;
  visibility: Visibility;
  status: ProposalStatus;
  title: string;
};

/**
 * The proposal views as the routes, the live layer and the audit read them. Its statements are prepared
 * once, when the runtime creates it: these run on every request and every fan-out.
 */
export class ProposalQueries {
  private readonly statements: ReturnType<typeof statements>;
  /** Reads of one view in one read transaction, so that its parts agree. */
  private readonly readTogether: ReturnType<typeof readsTogether>;
  /** One page of a group's proposal summaries, newest first, or by relevance when searching. */
  readonly list: (query: ProposalListQuery) => ReturnType<ReturnType<typeof proposalList>>;

  constructor(
    sqlite: Sqlite,
    tables: SearchTables,
    private readonly actionItems: Pick<ActionItemQueries, 'ofProposal'>,
  ) {
    this.statements = statements(sqlite);
    this.list = proposalList(sqlite, tables);
    this.readTogether = readsTogether(sqlite);
  }

  facts(id: string): ProposalFacts | undefined {
    const row = this.statements.facts.get({ id });
    return (
      row && { id: row.id, groupId: row.group_id, visibility: row.visibility, status: row.status, title: row.title }
    );
  }

  /** The consultations due to close at `now` (ISO) and not closed yet, earliest first (the scheduler's kind). */
  dueConsultations(now: string, limit: number): Array<{ id: string; closesAt: string }> {
    return this.statements.dueConsultations.all({ now, limit });
  }

  /** The full proposal view, unfiltered: the caller has checked that the reader may see it. */
  view(id: string): ProposalView | undefined {
    // One read: the version (the view's ETag) and the comments, both from the log, agree.
    return this.readTogether(() => {
      const row = this.statements.proposal.get({ id });
      return row && this.toView(row);
    });
  }

  /**
   * `JSON.stringify(view(id))`, with its group and visibility, for the live layer, which sends views as
   * JSON: the comments, most of a view, go from the log's stored text to the JSON without becoming objects
   * and strings in JavaScript and back (a catch-up renders every view of a group).
   */
  viewJson(id: string): { groupId: string; visibility: Visibility; json: string } | undefined {
    return this.readTogether(() => {
      const row = this.statements.proposal.get({ id });
      if (!row) return undefined;
      const { before, after } = this.viewParts(row);
      const json = `${JSON.stringify(before).slice(0, -1)},"comments":${this.recentCommentsJson(row.id)},${JSON.stringify(after).slice(1)}`;
      return { groupId: row.group_id, visibility: row.visibility, json };
    });
  }

  /**
   * Up to `limit` comments of a proposal from a position, with each comment's version (the cursor of the
   * next page). Thread order (oldest first) by default; newest first from `before`.
   */
  commentPage(id: string, from: CommentPosition, limit: number): Array<{ version: number; comment: Comment }> {
    const streamId = proposalStream(id);
    const rows =
      'after' in from
        ? this.statements.commentsAfter.all({ streamId, at: from.after, limit })
        : this.statements.commentsBefore.all({ streamId, at: from.before, limit });
    return rows.map((row) => ({ version: row.version, comment: JSON.parse(row.json) as Comment }));
  }

  /** Every proposal of a group, oldest first, unfiltered (auditors' state at a position). */
  groupViews(groupId: string): ProposalView[] {
    return this.readTogether(() => this.statements.ofGroup.all({ groupId }).map((row) => this.toView(row)));
  }

  /** A proposal's newest comments as the JSON array of their views, in stream order (`[]` for none). */
  private recentCommentsJson(id: string): string {
    return this.statements.recentCommentsJson.get({ streamId: proposalStream(id), limit: RECENT_COMMENTS }) as string;
  }

  /** A view's fields before its comments, and after them (in `ProposalView`'s order). */
  private viewParts(row: ProposalRow) {
    const head = atHead(row);
    const actionItems = this.actionItems.ofProposal(row.id, LISTED_ACTION_ITEMS);
    return {
      before: {
        ...header(row, head.version),
        body: row.body,
        endorsements: this.statements.endorsements.all({ id: row.id }),
        objections: this.statements.objections.all({ id: row.id }),
      },
      after: {
        commentCount: head.comments,
        actionItems: actionItems.items,
        actionItemCount: actionItems.count,
        // The projection wrote it from a validated event, with exactly the view's fields.
        decision: row.decision === null ? null : (JSON.parse(row.decision) as Decision),
        createdAt: row.created_at,
        updatedAt: head.updatedAt,
      },
    };
  }

  private toView(row: ProposalRow): ProposalView {
    const { before, after } = this.viewParts(row);
    return { ...before, comments: JSON.parse(this.recentCommentsJson(row.id)) as Comment[], ...after };
  }
}
