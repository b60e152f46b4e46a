import { type Kysely, sql } from 'kysely';

/** Views of editions, their agenda and their attendance: disposable, rebuilt from the log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // `number` is unique here too: two editions decided at once with the same number cannot both commit.
  await sql`
    CREATE TABLE editions (
      id                   TEXT PRIMARY KEY,
      number               INTEGER NOT NULL UNIQUE,
      title                TEXT NOT NULL,
      starts_on            TEXT NOT NULL,
      ends_on              TEXT NOT NULL,
      venue                TEXT NOT NULL,
      host_entity_id       TEXT,
      declaration_status   TEXT CHECK (declaration_status IN ('draft', 'silence', 'adopted')),
      declaration_revision INTEGER,
      version              INTEGER NOT NULL,
      created_at           TEXT NOT NULL,
      updated_at           TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX editions_by_start ON editions (starts_on, number)`.execute(db);
  await sql`
    CREATE TABLE edition_agenda (
      edition_id  TEXT NOT NULL,
      proposal_id TEXT NOT NULL,
      group_id    TEXT NOT NULL,
      visibility  TEXT NOT NULL CHECK (visibility IN ('dialogue', 'members')),
      seq         INTEGER NOT NULL,
      PRIMARY KEY (edition_id, proposal_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX edition_agenda_in_order ON edition_agenda (edition_id, seq)`.execute(db);
  await sql`
    CREATE TABLE edition_attendance (
      edition_id  TEXT NOT NULL,
      entity_id   TEXT NOT NULL,
      entity_kind TEXT NOT NULL CHECK (entity_kind IN ('member', 'observer')),
      delegates   TEXT NOT NULL,
      PRIMARY KEY (edition_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  // The report reads proposals by when they were decided and action items by when they were opened.
  await sql`CREATE INDEX action_items_by_created ON action_items (created_at)`.execute(db);
}
