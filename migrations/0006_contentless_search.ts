import { type Kysely, sql } from 'kysely';

/**
 * The search index keeps only the index, not a second copy of the text (FTS5 `content=''`): every
 * row's rowid is the log position of the event that carried its text, so the proposal a hit belongs to is
 * the stream of the event at that position, and the text itself is in the views. `contentless_delete=1`
 * lets a revision replace its proposal's row. Filled here from the views, which are at the log's head.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE proposal_search`.execute(db);
  await sql`
    CREATE VIRTUAL TABLE proposal_search USING fts5(
      title, body, tokenize = 'porter unicode61 remove_diacritics 2', content = '', contentless_delete = 1
    )`.execute(db);
  await sql`
    INSERT INTO proposal_search (rowid, title, body)
    SELECT seq, title, body FROM proposals UNION ALL SELECT seq, '', body FROM proposal_comments ORDER BY 1`.execute(
    db,
  );
  await sql`
    UPDATE projection_positions SET position = (SELECT IFNULL(MAX(position), 0) FROM events)
     WHERE name = 'proposal_search'`.execute(db);
}
