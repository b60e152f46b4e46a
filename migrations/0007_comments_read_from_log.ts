import { type Kysely, sql } from 'kysely';

/**
 * Comments are read from the log itself, and their copy in the views is dropped. A comment is never edited
 * or removed, so `CommentPosted` events hold exactly what the copy held (its data and `recorded_at`), and a
 * proposal's comments are its stream's `CommentPosted` events, found through the log's index of streams
 * (`UNIQUE (stream_id, version)`). The copy was clustered by proposal: with every proposal's comments
 * growing at once, each insert landed in the middle of the tree, and SQLite rebalanced full leaves with
 * their neighbours again and again (measured: 1.85 pages written per comment, of the 6.6 a comment's commit
 * wrote). Now a comment's commit writes the log's row and nothing else.
 *
 * The proposals' rows are unchanged: they hold what they held, which the projection now keeps as the
 * proposal as of its last event other than a comment (see `proposalsProjection`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE proposal_comments`.execute(db);
}
