import { type Kysely, sql } from 'kysely';

/**
 * Comments are kept in log order, keyed by their own position (`seq` is the rowid), instead of clustered by
 * proposal. Posting one then writes at the right edge of one B-tree: with every proposal's comments growing
 * at once, the clustered key inserted into the middle of the tree, and SQLite rebalanced full leaves with
 * their neighbours again and again (measured: 1.85 pages written per comment, against 1.0 now). A
 * proposal's comments are found through the log's own index of its stream (`UNIQUE (stream_id, version)`),
 * whose rowids are these positions: no second index is written.
 *
 * The proposals' rows are unchanged: they hold exactly what they held, which is what the projection now
 * keeps (the row as of the proposal's last event other than a comment; see `proposalsProjection`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE proposal_comments_in_log_order (
      seq         INTEGER PRIMARY KEY,
      proposal_id TEXT NOT NULL,
      id          TEXT NOT NULL,
      entity_id   TEXT,
      body        TEXT NOT NULL,
      reply_to    TEXT,
      at          TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`
    INSERT INTO proposal_comments_in_log_order (seq, proposal_id, id, entity_id, body, reply_to, at)
    SELECT seq, proposal_id, id, entity_id, body, reply_to, at FROM proposal_comments ORDER BY seq`.execute(db);
  await sql`DROP TABLE proposal_comments`.execute(db);
  await sql`ALTER TABLE proposal_comments_in_log_order RENAME TO proposal_comments`.execute(db);
}
