import { type Kysely, sql } from 'kysely';

/**
 * The append-only event log. The database itself refuses UPDATE and DELETE, and refuses an insert that
 * would leave a gap in positions or stream versions or break the hash chain's link, so that no code path
 * (ours or a careless script's) can rewrite history through SQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE events (
      position    INTEGER PRIMARY KEY,
      id          TEXT NOT NULL UNIQUE,
      stream_id   TEXT NOT NULL,
      version     INTEGER NOT NULL CHECK (version >= 1),
      type        TEXT NOT NULL,
      data        TEXT NOT NULL,
      metadata    TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash   TEXT NOT NULL,
      hash        TEXT NOT NULL,
      UNIQUE (stream_id, version)
    ) STRICT`.execute(db);

  await sql`
    CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: UPDATE refused'); END`.execute(db);
  await sql`
    CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: DELETE refused'); END`.execute(db);
  await sql`
    CREATE TRIGGER events_refuse_gap BEFORE INSERT ON events
    WHEN NEW.position <> IFNULL((SELECT MAX(position) FROM events), 0) + 1
      OR NEW.version <> IFNULL((SELECT MAX(version) FROM events WHERE stream_id = NEW.stream_id), 0) + 1
      OR NEW.prev_hash <> IFNULL((SELECT hash FROM events ORDER BY position DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
    BEGIN SELECT RAISE(ABORT, 'the event log only grows at its head, one position and one stream version at a time'); END`.execute(
    db,
  );

  // Idempotency records are write-side state, not a view: they hold the first response to a keyed request.
  await sql`
    CREATE TABLE idempotency_keys (
      key         TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      status_code INTEGER NOT NULL,
      body        TEXT NOT NULL,
      position    INTEGER NOT NULL,
      recorded_at TEXT NOT NULL
    ) STRICT`.execute(db);
}
