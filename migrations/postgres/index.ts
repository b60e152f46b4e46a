/**
 * The PostgreSQL store's migrations: the log, its head, the idempotency keys. Only what must be shared by
 * every instance lives in PostgreSQL; the views are each instance's replica (docs/architecture.md).
 * Forward only, applied in order by `migratePostgres`; a shipped migration never changes.
 */
export interface PostgresMigration {
  name: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    name: '0001_event_log',
    sql: `
      CREATE TABLE events (
        position    BIGINT PRIMARY KEY CHECK (position >= 1),
        id          TEXT NOT NULL UNIQUE,
        stream_id   TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        type        TEXT NOT NULL,
        -- TEXT, not JSONB: the stored text is what the chain hashes and the export copies, byte for byte.
        data        TEXT NOT NULL,
        metadata    TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL,
        UNIQUE (stream_id, version)
      );

      -- One row: the chain's head. Every append locks it first (SELECT ... FOR UPDATE), which serialises
      -- appends across every instance, so positions stay consecutive and the chain unbroken.
      CREATE TABLE log_head (
        id       SMALLINT PRIMARY KEY CHECK (id = 1),
        position BIGINT NOT NULL,
        hash     TEXT NOT NULL
      );
      INSERT INTO log_head VALUES (1, 0, '${'0'.repeat(64)}');

      CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP USING ERRCODE = 'raise_exception';
      END $$;
      CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
      CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
      CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

      -- As in SQLite: an insert must continue the log at its head, one position and one stream version at a
      -- time, linked to the previous hash. Rows inserted earlier by the same statement are visible here.
      CREATE FUNCTION events_refuse_gap() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_position BIGINT;
        last_hash TEXT;
        last_version INTEGER;
      BEGIN
        SELECT position, hash INTO last_position, last_hash FROM events ORDER BY position DESC LIMIT 1;
        SELECT max(version) INTO last_version FROM events WHERE stream_id = NEW.stream_id;
        IF NEW.position <> coalesce(last_position, 0) + 1
          OR NEW.version <> coalesce(last_version, 0) + 1
          OR NEW.prev_hash <> coalesce(last_hash, '${'0'.repeat(64)}') THEN
          RAISE EXCEPTION 'the event log only grows at its head, one position and one stream version at a time';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER events_refuse_gap BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_gap();

      -- Write-side state, not a view: the first response to a keyed request, shared by every instance.
      CREATE TABLE idempotency_keys (
        key         TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        body        TEXT NOT NULL,
        position    BIGINT NOT NULL,
        recorded_at TEXT NOT NULL
      );
    `,
  },
  {
    name: '0002_claims',
    sql: `
      -- Keys unique across the log (an edition's number), held by the append that recorded them. Checked
      -- under the head's lock, so two instances cannot both take one.
      CREATE TABLE claims (
        key      TEXT PRIMARY KEY,
        position BIGINT NOT NULL
      );
    `,
  },
];
