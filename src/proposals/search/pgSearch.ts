import { sql } from 'kysely';
import type pg from 'pg';
import { type Params, prepare } from '../../db/statements';
import type { Sqlite } from '../../eventStore/database';
import { isPostgresUnavailable } from '../../eventStore/postgres/unavailable';
import { StoreUnavailable } from '../../errors';
import type { StoredEvent } from '../../eventStore/types';
import type { SimilarProposal } from '../views';
import { relativeScores, searchWords } from './search';

/** Who searches: the groups whose text it may read, and whether `members` text is among it. */
export interface SearchScope {
  groups: readonly string[];
  includeMembers: boolean;
}

/** A proposal whose text or comments match, with its best rank (negated: lower is better, as bm25's). */
export type SearchHit = [proposalId: string, rank: number];

/**
 * ts_rank's weights, in its order D, C, B, A: a title (A) counts four times a body or a comment (B), as on
 * SQLite (`bm25(table, 4, 1)`).
 */
const WEIGHTS = `'{0.1, 0.1, 0.25, 1.0}'::float4[]`;

/**
 * The query of the words given as `$1` (a text array, `searchWords`), each passed through the same
 * normalisation as the documents (`dialogue_search_words`) and joined by `operator`: only words and the
 * operator ever reach `to_tsquery`, so nothing a user types is read as query syntax.
 */
const tsQuery = (operator: '&' | '|') => `to_tsquery('dialogue_search', array_to_string(ARRAY(
    SELECT word FROM unnest($1::text[]) AS typed(text),
      regexp_split_to_table(btrim(dialogue_search_words(typed.text)), ' +') AS word
     WHERE word <> ''), ' ${operator} '))`;

/** Where the caller may read: its groups, `dialogue` text only unless it sees `members` content. */
const VISIBLE = `group_id = ANY($2::text[]) AND (visibility = 'dialogue' OR $3::boolean)`;

const HITS = `SELECT proposal_id, max(ts_rank(${WEIGHTS}, document, query)) AS rank
  FROM proposal_search, ${tsQuery('&')} AS query
 WHERE ${VISIBLE} AND document @@ query
 GROUP BY proposal_id`;

// The new text's own rank first (no proposal id), then the best proposals' own texts.
const SIMILAR = `WITH query AS (SELECT ${tsQuery('|')} AS query)
SELECT NULL AS proposal_id, ts_rank(${WEIGHTS}, dialogue_search_document($4, $5), query) AS rank FROM query
UNION ALL (
  SELECT proposal_id, ts_rank(${WEIGHTS}, document, query) AS rank FROM proposal_search, query
   WHERE own_text AND ${VISIBLE} AND document @@ query
   ORDER BY rank DESC, position DESC LIMIT $6)`;

function replicaStatements(sqlite: Sqlite) {
  return {
    // JSON function: the ids travel as one JSON array.
    titles: prepare(sqlite, (db, p: Params<{ ids: string }>) =>
      db
        .selectFrom('proposals')
        .select(['id', 'group_id as groupId', 'title'])
        .where(sql<boolean>`id IN (SELECT value FROM json_each(${p.ids}))`),
    ),
  };
}

/** The events that put text in the search index (as on SQLite). */
const INDEXED: ReadonlySet<string> = new Set(['ProposalSubmitted', 'ProposalRevised', 'CommentPosted']);

/** How long committed text may wait before it is indexed, when nobody searches meanwhile (as on SQLite). */
const FOLLOW_DELAY_MS = 50;

/**
 * Events with text indexed per call of `proposal_search_follow`: at the longest texts the routes take (20,000
 * characters) a call stays well inside the statement timeout (`PG_STATEMENT_TIMEOUT_MS`, 5 s by default).
 */
const FOLLOW_PAGE = 500;

/**
 * Search on PostgreSQL: PostgreSQL's full-text search over `proposal_search` (migrations/postgres), shared by
 * every instance. The index follows the log after the appends, as SQLite's does, so that a durable append
 * does not pay for it: each instance indexes within `FOLLOW_DELAY_MS` the text it folds, and every search
 * first indexes whatever the log holds beyond the index (one query when there is nothing to do), so no
 * search answers from behind the log, whichever instance appended. The same rules as SQLite's FTS5 (words
 * only, ranked, `score`); ts_rank scores a document by its own words alone, so text the caller cannot see
 * moves neither a score nor an order. What the hits are joined with (status, filters, titles) is read from
 * this instance's replica.
 */
export class PgSearch {
  private readonly statements;
  private timer: NodeJS.Timeout | undefined;
  /** The follow under way, and the one queued behind it that callers arriving meanwhile share. */
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;
  /** Follows that failed, by why: the database unreachable, or anything else (metrics: a role's missing right). */
  readonly failures = { unavailable: 0, other: 0 };

  constructor(
    private readonly pool: pg.Pool,
    sqlite: Sqlite,
  ) {
    this.statements = replicaStatements(sqlite);
  }

  /** For the store's commit listener: schedules indexing when committed events carry text. */
  committed(events: readonly StoredEvent[]): void {
    if (this.closed || this.timer || !events.some((event) => INDEXED.has(event.type))) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.followInBackground();
    }, FOLLOW_DELAY_MS);
    this.timer.unref();
  }

  /** Indexes what the log holds beyond the index, without waiting for it (at start, after commits). */
  followInBackground(): void {
    this.follow().catch(() => {
      // The database cannot be reached just now: nothing is lost, the next search or commit follows.
    });
  }

  /**
   * Indexes everything the log held when it was called (and whatever came since). One follow at a time per
   * instance, so searches never hold more than one of the pool's connections waiting for the index: those
   * that arrive while one runs share the next, which starts after they all came.
   */
  follow(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.queued;
  }

  private start(): Promise<void> {
    this.queued = undefined;
    const running = followSearchIndex(this.pool)
      .catch((error: unknown) => {
        const failure = unavailable(error);
        this.failures[failure instanceof StoreUnavailable ? 'unavailable' : 'other'] += 1;
        throw failure;
      })
      .finally(() => {
        if (this.running === running) this.running = undefined;
      });
    this.running = running;
    return running;
  }

  /**
   * Before a search: the index brought up to the log, or, when following fails for another reason than an
   * unreachable database (a right the role lacks, say), the index as it stands, as SQLite's search does.
   */
  private async followIfPossible(): Promise<void> {
    try {
      await this.follow();
    } catch (error) {
      if (error instanceof StoreUnavailable) throw error;
    }
  }

  /** Stops following after commits (what is not indexed yet is indexed by the next search, on any instance). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.running, this.queued]);
  }

  /** Every proposal of the scope whose text or comments hold all the words of `text`, with its best rank. */
  async hits(text: string, scope: SearchScope): Promise<SearchHit[]> {
    const words = searchWords(text, 'all');
    if (words === null || scope.groups.length === 0) return [];
    await this.followIfPossible();
    const rows = await this.query<{ proposal_id: string; rank: number }>('dialogue_search_hits', HITS, [
      words,
      scope.groups,
      scope.includeMembers,
    ]);
    return rows.map((row) => [row.proposal_id, -row.rank]);
  }

  /**
   * The proposals most like a new text, across the scope (every group its author takes part in), scored
   * relative to the text's own rank. The text is never indexed: ts_rank needs no statistics of the index,
   * so a preview and the submission made next answer the same.
   */
  async similar(proposal: { title: string; body: string }, scope: SearchScope, limit = 5): Promise<SimilarProposal[]> {
    const words = searchWords(`${proposal.title} ${proposal.body}`, 'any');
    if (words === null || scope.groups.length === 0) return [];
    await this.followIfPossible();
    // A few more than asked: a proposal committed since this instance's replica caught up has no title here.
    const rows = await this.query<{ proposal_id: string | null; rank: number }>('dialogue_search_similar', SIMILAR, [
      words,
      scope.groups,
      scope.includeMembers,
      proposal.title,
      proposal.body,
      limit * 2 + 1,
    ]);
    const self = rows.find((row) => row.proposal_id === null)?.rank;
    if (self === undefined || self <= 0) return [];
    // Best first (a stable sort keeps the query's newest-first among equal ranks).
    const ranked = rows
      .flatMap((row) => (row.proposal_id === null ? [] : [{ id: row.proposal_id, rank: row.rank }]))
      .sort((a, b) => b.rank - a.rank);
    const known = new Map(
      this.statements.titles.all({ ids: JSON.stringify(ranked.map((row) => row.id)) }).map((row) => [row.id, row]),
    );
    return relativeScores(
      ranked.flatMap(({ id, rank }) => {
        const row = known.get(id);
        return row ? [{ ...row, rank }] : [];
      }),
      self,
      limit,
    );
  }

  private async query<Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>({ name, text, values })).rows;
    } catch (error) {
      throw unavailable(error);
    }
  }
}

/** A 503 for a database that cannot be reached; any other error as it is. */
function unavailable(error: unknown): unknown {
  return isPostgresUnavailable(error)
    ? new StoreUnavailable('the shared log cannot be read right now; retry later')
    : error;
}

/**
 * Indexes everything the log holds beyond the search index's position, `FOLLOW_PAGE` positions per query
 * (`proposal_search_follow`); `onPage` hears how many positions are left after each.
 */
export async function followSearchIndex(pool: pg.Pool, onPage?: (remaining: number) => void): Promise<void> {
  for (;;) {
    const result = await pool.query<{ remaining: number }>({
      name: 'dialogue_search_follow',
      text: 'SELECT proposal_search_follow($1) AS remaining',
      values: [FOLLOW_PAGE],
    });
    const remaining = result.rows[0]?.remaining ?? 0;
    onPage?.(remaining);
    if (remaining === 0) return;
  }
}
