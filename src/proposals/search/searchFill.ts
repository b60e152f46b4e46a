import type { Sqlite } from '../../eventStore/database';
import type { SearchTable } from './searchTables';

/**
 * Statements that fill tables of the search index in bulk, a range of log positions at a time: the range's
 * text is staged once in a temporary table, with its group and visibility (the log's JSON is read once per
 * event), and each table takes its own rows from there in rowid order (FTS5 flushes what it holds whenever
 * a rowid goes backwards, so in order is the fast way). Plain SQL, so that the build thread (SearchBuild)
 * runs the same statements on its own connection.
 */
export interface SearchFill {
  /** Run once, before the first range. */
  setup: string[];
  /** Run for each range, bound to `(after, until)`: stage the range's text. */
  stage: string[];
  /** Run after each stage, unbound: each table takes its rows. */
  route: string[];
  /** Run after the routes: empties the staging table. */
  clear: string;
}

/**
 * Log positions per range: bounds the memory of what is staged at once; each statement that
 * writes an FTS5 table starts a segment, so much smaller ranges leave FTS5 many to merge (docs/performance.md).
 */
export const FILL_RANGE = 100_000;

const STAGING = 'temp.search_fill';

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The fill of `tables` from the comments of the log `comments` names (under the schema it is attached as),
 * if any, and with `proposals` from the proposals' rows (their latest text, under their submission's
 * position). Text of a group and visibility that has no table among `tables` is left out.
 */
export function searchFill(
  source: { comments: string | null; proposals: boolean },
  tables: readonly SearchTable[],
): SearchFill {
  // Raw SQL: FTS5 tables named at run time, a temporary staging table and JSON operators, none of which the
  // Database interface describes.
  const stage: string[] = [];
  if (source.comments !== null) {
    stage.push(`INSERT INTO ${STAGING} (position, group_id, visibility, title, body)
       SELECT position, data ->> '$.groupId', data ->> '$.visibility', '', data ->> '$.body' FROM ${source.comments}
        WHERE position > ? AND position <= ? AND type = 'CommentPosted'`);
  }
  if (source.proposals) {
    stage.push(`INSERT INTO ${STAGING} (position, group_id, visibility, title, body)
       SELECT seq, group_id, visibility, title, body FROM main.proposals WHERE seq > ? AND seq <= ?`);
  }
  return {
    setup: [
      `CREATE TEMP TABLE IF NOT EXISTS search_fill (position INTEGER PRIMARY KEY, group_id TEXT, visibility TEXT, title TEXT, body TEXT)`,
      `DELETE FROM ${STAGING}`,
    ],
    stage,
    route: tables.map(
      (table) => `INSERT INTO ${table.name} (rowid, title, body) SELECT position, title, body FROM ${STAGING}
        WHERE group_id = ${literal(table.groupId)} AND visibility = ${literal(table.visibility)} ORDER BY position`,
    ),
    clear: `DELETE FROM ${STAGING}`,
  };
}

/** Runs a fill on this connection, over the positions up to `head` (inside the caller's transaction). */
function runSearchFill(sqlite: Sqlite, fill: SearchFill, head: number): void {
  for (const sql of fill.setup) sqlite.exec(sql);
  const stage = fill.stage.map((sql) => sqlite.prepare<[number, number]>(sql));
  const route = fill.route.map((sql) => sqlite.prepare(sql));
  const clear = sqlite.prepare(fill.clear);
  for (let after = 0; after < head; after += FILL_RANGE) {
    for (const statement of stage) statement.run(after, Math.min(head, after + FILL_RANGE));
    for (const statement of route) statement.run();
    clear.run();
  }
  sqlite.exec(`DROP TABLE ${STAGING}`);
}

/**
 * Fills `tables`, which are empty, with everything up to `head` (inside the caller's transaction): the
 * proposals' rows from the views, and the comments from the log, except for the tables in
 * `commentsIndexed`, which hold theirs already (built on the second thread) and take only their proposals'.
 */
export function fillTables(
  sqlite: Sqlite,
  head: number,
  tables: readonly SearchTable[],
  commentsIndexed: ReadonlySet<string>,
): void {
  const whole = tables.filter((table) => !commentsIndexed.has(table.name));
  if (whole.length > 0) runSearchFill(sqlite, searchFill({ comments: 'main.events', proposals: true }, whole), head);
  const proposalsOnly = tables.filter((table) => commentsIndexed.has(table.name));
  if (proposalsOnly.length > 0)
    runSearchFill(sqlite, searchFill({ comments: null, proposals: true }, proposalsOnly), head);
}
