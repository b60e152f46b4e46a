import { type Kysely, sql } from 'kysely';

/**
 * The search index becomes one FTS5 table per group and visibility, so that bm25 scores and ranks each
 * search by statistics of text its caller may see (the single table's statistics counted hidden text). The
 * registry `search_tables` names each table; tables are created as text of their group and visibility is
 * first indexed. The single table is dropped and the index's position set back to 0: the first start after
 * the migration fills the new tables in bulk from the views and the log (see SearchIndex), a few seconds
 * per million comments.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE proposal_search`.execute(db);
  await sql`
    CREATE TABLE search_tables (
      group_id   TEXT NOT NULL,
      visibility TEXT NOT NULL CHECK (visibility IN ('dialogue', 'members')),
      name       TEXT NOT NULL UNIQUE,
      PRIMARY KEY (group_id, visibility)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`UPDATE projection_positions SET position = 0 WHERE name = 'proposal_search'`.execute(db);
}
