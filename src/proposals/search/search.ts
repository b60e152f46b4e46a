import type { Sqlite } from '../../eventStore/database';
import { proposalStream } from '../events';
import type { SimilarProposal } from '../views';

/**
 * The words of user text a search looks for: letters and digits only, so that no query syntax typed by a
 * user (`"`, `*`, `NEAR(`, `-`, `OR`, `&`, `!`, column filters) is ever interpreted, on either store. In
 * `any` mode (similar proposals) short and common words are left out. Null when no word is left.
 */
export function searchWords(text: string, mode: 'all' | 'any'): string[] | null {
  const tokens =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(tokens)].filter((token) => mode === 'all' || (token.length > 2 && !STOP_WORDS.has(token)));
  const chosen = unique.slice(0, MAX_TOKENS);
  return chosen.length === 0 ? null : chosen;
}

/**
 * Turns user text into an FTS5 query that can only mean "these words": every word (`searchWords`) wrapped
 * in double quotes, so it is searched for as a word and can never make a query fail.
 */
export function ftsQuery(text: string, mode: 'all' | 'any'): string | null {
  const words = searchWords(text, mode);
  if (words === null) return null;
  return words.map((word) => `"${word}"`).join(mode === 'all' ? ' ' : ' OR ');
}

const MAX_TOKENS = 32;

/** Words too common to say two proposals are about the same thing. */
const STOP_WORDS = new Set(
  'the and for with that this from are was were will shall should would could into onto over under our their its not but all any can has have had been being which who whom whose what when where why how also such than then there these those they them per via'.split(
    ' ',
  ),
);

/** bm25 of a table's rows, weighted by column (title, body): a match in the title counts four times. */
const bm25 = (table: string) => `bm25(${table}, 4, 1)`;

/**
 * A subquery of `(proposal_id, rank)`: each proposal whose text or comments match the FTS5 query, with its
 * best bm25 rank, over the given tables of the search index (the query is `@match`). The index holds
 * neither ids nor text: a row's rowid is the log position of the event that carried its text, and that
 * event's stream is its proposal's. bm25() cannot run under an aggregate, so the matching rows are ranked
 * first (materialised), then grouped by proposal. Each table's rows are ranked by that table's statistics
 * only: the caller must be allowed to see every row of every table given (see `SearchTables`).
 */
export function searchHits(tables: readonly string[]): string {
  const matches = tables.map(
    (table) => `SELECT rowid AS position, ${bm25(table)} AS r FROM ${table} WHERE ${table} MATCH @match`,
  );
  return `(WITH m AS MATERIALIZED (${matches.join(' UNION ALL ')})
  SELECT substr(e.stream_id, ${proposalStream('').length + 1}) AS proposal_id, MIN(m.r) AS rank
    FROM m JOIN events e ON e.position = m.position GROUP BY e.stream_id)`;
}

/**
 * The proposals most like a new one, across the search tables the author may read (`SearchTables.visible`:
 * every group it takes part in).
 * The new proposal's text must be in the index, under the rowid `seq` (its submission's position); it
 * needs no row in the views, so a preview can index it without keeping it (`SearchIndex.withProposal`).
 * Scores are relative to the new proposal's own match (1 = as similar as the text is to itself). Each
 * group's proposals are ranked within their group's tables (see `SearchTables`), so a group the author is
 * not in moves nothing.
 */
export function similarProposals(
  sqlite: Sqlite,
  proposal: { seq: number; title: string; body: string },
  scope: { tables: readonly string[] },
  limit = 5,
): SimilarProposal[] {
  const match = ftsQuery(`${proposal.title} ${proposal.body}`, 'any');
  const { tables } = scope;
  if (match === null || tables.length === 0) return [];
  // Raw SQL: FTS5's MATCH and bm25 over tables named at run time, which Kysely cannot say.
  // Only a proposal's own text has the proposal's seq as its rowid (a comment's is its own position); the
  // new text's row is kept whether or not the views hold its proposal.
  const ranked = tables.map(
    (table) => `SELECT ${table}.rowid AS seq, p.id, p.group_id, p.title, ${bm25(table)} AS rank
      FROM ${table} LEFT JOIN proposals p ON p.seq = ${table}.rowid WHERE ${table} MATCH ? AND (p.id IS NOT NULL OR ${table}.rowid = ?)`,
  );
  const rows = sqlite
    .prepare<
      Array<string | number>,
      { seq: number; id: string | null; group_id: string | null; title: string | null; rank: number }
    >(`${ranked.join(' UNION ALL ')} ORDER BY rank LIMIT ?`)
    .all(...tables.flatMap(() => [match, proposal.seq]), limit + 1);
  const self = rows.find((row) => row.seq === proposal.seq)?.rank ?? rows[0]?.rank;
  if (self === undefined || self >= 0) return [];
  return relativeScores(
    rows.flatMap(({ seq, id, group_id, title, rank }) =>
      seq === proposal.seq || id === null || group_id === null || title === null
        ? []
        : [{ id, groupId: group_id, title, rank }],
    ),
    self,
    limit,
  );
}

/**
 * The similar proposals' scores: each rank relative to the new text's own (1 = as similar as the text is to
 * itself), best first, those below `MIN_SIMILARITY` left out. Ranks and `self` share a sign (bm25's are
 * negative, PostgreSQL's ts_rank positive).
 */
export function relativeScores(
  rows: ReadonlyArray<Omit<SimilarProposal, 'score'> & { rank: number }>,
  self: number,
  limit: number,
): SimilarProposal[] {
  return rows
    .map(({ rank, ...row }) => ({ ...row, score: Math.round(Math.min(1, rank / self) * 1000) / 1000 }))
    .filter((row) => row.score >= MIN_SIMILARITY)
    .slice(0, limit);
}

/** Below this share of the text's own score, a match is a shared word, not a shared subject. */
const MIN_SIMILARITY = 0.15;
