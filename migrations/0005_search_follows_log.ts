import { type Kysely, sql } from 'kysely';

/**
 * The search index follows the log after each commit instead of inside it: `projection_positions` records
 * the last position it holds (the index as migrated holds everything, so it starts at the head). Comments
 * are keyed by their proposal and position, the only order they are read in, so that posting one writes
 * one B-tree instead of a table and an index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE projection_positions (
      name     TEXT PRIMARY KEY,
      position INTEGER NOT NULL
    ) STRICT`.execute(db);
  await sql`INSERT INTO projection_positions (name, position) SELECT 'proposal_search', IFNULL(MAX(position), 0) FROM events`.execute(
    db,
  );

  await sql`
    CREATE TABLE proposal_comments_by_seq (
      proposal_id TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      id          TEXT NOT NULL,
      entity_id   TEXT,
      body        TEXT NOT NULL,
      reply_to    TEXT,
      at          TEXT NOT NULL,
      PRIMARY KEY (proposal_id, seq)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    INSERT INTO proposal_comments_by_seq (proposal_id, seq, id, entity_id, body, reply_to, at)
    SELECT proposal_id, seq, id, entity_id, body, reply_to, at FROM proposal_comments`.execute(db);
  await sql`DROP TABLE proposal_comments`.execute(db);
  await sql`ALTER TABLE proposal_comments_by_seq RENAME TO proposal_comments`.execute(db);
}
