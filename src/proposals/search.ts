import { proposalStream } from './events';

/**
 * Turns user text into an FTS5 query that can only mean "these words": every token is letters and digits
 * only, wrapped in double quotes, so FTS5 syntax typed by a user (`"`, `*`, `NEAR(`, `-`, `OR`, column
 * filters) is searched for as words, never interpreted, and can never make a query fail.
 */
export function ftsQuery(text: string, mode: 'all' | 'any'): string | null {
  const tokens = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(tokens)].filter((token) => mode === 'all' || (token.length > 2 && !STOP_WORDS.has(token)));
  const chosen = unique.slice(0, MAX_TOKENS).map((token) => `"${token}"`);
  if (chosen.length === 0) return null;
  return chosen.join(mode === 'all' ? ' ' : ' OR ');
}

const MAX_TOKENS = 32;

/** Words too common to say two proposals are about the same thing. */
const STOP_WORDS = new Set(
  'the and for with that this from are was were will shall should would could into onto over under our their its not but all any can has have had been being which who whom whose what when where why how also such than then there these those they them per via'.split(
    ' ',
  ),
);

/** bm25 weights by column (title, body): a match in the title counts four times. */
export const BM25 = 'bm25(proposal_search, 4, 1)';

/**
 * A subquery of `(proposal_id, rank)`: each proposal whose text or comments match the FTS5 query (its one
 * `?`), with its best bm25 rank. The index holds neither ids nor text: a row's rowid is the log position
 * of the event that carried its text, and that event's stream is its proposal's. bm25() cannot run under
 * an aggregate, so the matching rows are ranked first (materialised), then grouped by proposal.
 */
export const SEARCH_HITS = `(WITH m AS MATERIALIZED (SELECT rowid AS position, ${BM25} AS r FROM proposal_search WHERE proposal_search MATCH ?)
  SELECT substr(e.stream_id, ${proposalStream('').length + 1}) AS proposal_id, MIN(m.r) AS rank
    FROM m JOIN events e ON e.position = m.position GROUP BY e.stream_id)`;
