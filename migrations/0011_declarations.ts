import { type Kysely, sql } from 'kysely';

/** Views of editions' outcome declarations: disposable, rebuilt from the editions' streams. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The edition's number and title, which the declaration's document and signature name.
  await sql`
    CREATE TABLE declaration_editions (
      edition_id TEXT PRIMARY KEY,
      number     INTEGER NOT NULL,
      title      TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE declarations (
      edition_id       TEXT PRIMARY KEY,
      status           TEXT NOT NULL CHECK (status IN ('draft', 'silence', 'adopted')),
      revision         INTEGER NOT NULL,
      version          INTEGER NOT NULL,
      silence_until    TEXT,
      adopted_at       TEXT,
      adopted_by       TEXT,
      text_hash        TEXT,
      signature        TEXT,
      receipt_position INTEGER,
      receipt_hash     TEXT,
      drafted_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL
    ) STRICT`.execute(db);
  // The scheduler's question: which procedures end at or before now.
  await sql`CREATE INDEX declarations_in_silence ON declarations (silence_until) WHERE status = 'silence'`.execute(db);
  await sql`
    CREATE TABLE declaration_paragraphs (
      edition_id         TEXT NOT NULL,
      n                  INTEGER NOT NULL,
      text               TEXT NOT NULL,
      source_proposal_id TEXT,
      PRIMARY KEY (edition_id, n)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE declaration_revisions (
      edition_id TEXT NOT NULL,
      revision   INTEGER NOT NULL,
      paragraphs TEXT NOT NULL,
      position   INTEGER NOT NULL,
      at         TEXT NOT NULL,
      PRIMARY KEY (edition_id, revision)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE declaration_breaks (
      edition_id TEXT NOT NULL,
      entity_id  TEXT NOT NULL,
      reason     TEXT NOT NULL,
      at         TEXT NOT NULL,
      position   INTEGER NOT NULL,
      PRIMARY KEY (edition_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE declaration_history (
      edition_id TEXT NOT NULL,
      version    INTEGER NOT NULL,
      position   INTEGER NOT NULL,
      type       TEXT NOT NULL,
      revision   INTEGER NOT NULL,
      entity_id  TEXT,
      person     TEXT NOT NULL,
      role       TEXT NOT NULL,
      at         TEXT NOT NULL,
      detail     TEXT NOT NULL,
      PRIMARY KEY (edition_id, version)
    ) STRICT, WITHOUT ROWID`.execute(db);
}
