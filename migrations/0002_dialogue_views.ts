import { type Kysely, sql } from 'kysely';

/** Views of the reference data and of tokens: disposable, rebuilt from the log by `npm run rebuild`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE entities (
      id   TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('member', 'observer'))
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE groups (
      id   TEXT PRIMARY KEY,
      name TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE group_participants (
      group_id  TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      PRIMARY KEY (group_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE group_chairs (
      group_id  TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      PRIMARY KEY (group_id, entity_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE tokens (
      token_id   TEXT PRIMARY KEY,
      hash       TEXT NOT NULL UNIQUE,
      role       TEXT NOT NULL,
      entity_id  TEXT,
      person     TEXT NOT NULL,
      issued_at  TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT`.execute(db);
}
