import { type Kysely, sql } from 'kysely';

/** Views of proposals and their deliberation: disposable, rebuilt from the log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE proposals (
      id                TEXT PRIMARY KEY,
      group_id          TEXT NOT NULL,
      seq               INTEGER NOT NULL UNIQUE,
      title             TEXT NOT NULL,
      body              TEXT NOT NULL,
      pillars           TEXT NOT NULL,
      visibility        TEXT NOT NULL CHECK (visibility IN ('dialogue', 'members')),
      status            TEXT NOT NULL CHECK (status IN ('open', 'adopted', 'rejected', 'withdrawn')),
      version           INTEGER NOT NULL,
      revision          INTEGER NOT NULL,
      author_entity_id  TEXT NOT NULL,
      endorsement_count INTEGER NOT NULL DEFAULT 0,
      objection_count   INTEGER NOT NULL DEFAULT 0,
      comment_count     INTEGER NOT NULL DEFAULT 0,
      decision          TEXT,
      created_at        TEXT NOT NULL,
      updated_at        TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX proposals_by_group ON proposals (group_id, seq)`.execute(db);
  await sql`
    CREATE TABLE proposal_endorsements (
      proposal_id TEXT NOT NULL,
      entity_id   TEXT NOT NULL,
      revision    INTEGER NOT NULL,
      note        TEXT,
      at          TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      PRIMARY KEY (proposal_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE proposal_objections (
      proposal_id TEXT NOT NULL,
      entity_id   TEXT NOT NULL,
      reason      TEXT NOT NULL,
      at          TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      PRIMARY KEY (proposal_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE proposal_comments (
      proposal_id TEXT NOT NULL,
      id          TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      entity_id   TEXT,
      body        TEXT NOT NULL,
      reply_to    TEXT,
      at          TEXT NOT NULL,
      PRIMARY KEY (proposal_id, id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX proposal_comments_in_order ON proposal_comments (proposal_id, seq)`.execute(db);
  // One row per proposal text (kind 'proposal') and one per comment (kind 'comment'): a comment is an insert,
  // never a rewrite of a growing document. Porter stemming so "cybercrimes" finds "cybercrime".
  await sql`
    CREATE VIRTUAL TABLE proposal_search USING fts5(
      proposal_id UNINDEXED, kind UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
}
