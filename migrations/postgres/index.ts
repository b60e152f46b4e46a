/**
 * The PostgreSQL store's migrations: the log, its head, the idempotency keys, the claims and the search
 * index. Only what must be shared by every instance lives in PostgreSQL; the views are each instance's
 * replica (docs/architecture.md).
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
  {
    name: '0003_search',
    sql: `
      -- The words of a text as the search reads them: accents removed (NFKD, combining marks dropped) and
      -- everything but letters and digits a space, so that "foo@bar.com" or "e-mail" are words as a query
      -- typed by a user gives them (the query's words go through this function too).
      CREATE FUNCTION dialogue_search_words(text TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT regexp_replace(
          regexp_replace(normalize(text, NFKD), '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g'),
          '[^[:alnum:]]+', ' ', 'g')
      $$;

      -- English stemming (Snowball, as SQLite's Porter: "cybercrimes" finds "cybercrime") and no stop words:
      -- a search for "the" finds "the", as on SQLite. Words of other scripts are kept as they are.
      CREATE TEXT SEARCH DICTIONARY dialogue_stem (TEMPLATE = snowball, Language = english);
      CREATE TEXT SEARCH CONFIGURATION dialogue_search (COPY = simple);
      ALTER TEXT SEARCH CONFIGURATION dialogue_search
        ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH dialogue_stem;

      -- A proposal's title weighs A, its body and its comments B (ranked with A four times B).
      CREATE FUNCTION dialogue_search_document(title TEXT, body TEXT) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('dialogue_search', dialogue_search_words(title)), 'A')
          || setweight(to_tsvector('dialogue_search', dialogue_search_words(body)), 'B')
      $$;

      -- The search index, a view of the log: one row per proposal (under its submission's position; a
      -- revision replaces its document) and one per comment. It follows the log after the appends, as SQLite's
      -- index does, so that an append does not pay for it: \`proposal_search_follow\` indexes what the log holds
      -- beyond \`proposal_search_position\`, and every search calls it first. Rebuilt from the log at will:
      -- empty it, set the position to 0, and follow.
      CREATE TABLE proposal_search (
        position    BIGINT PRIMARY KEY,
        proposal_id TEXT NOT NULL,
        group_id    TEXT NOT NULL,
        visibility  TEXT NOT NULL,
        -- The proposal's own text (title and body), not a comment's.
        own_text    BOOLEAN NOT NULL,
        document    tsvector NOT NULL
      );
      CREATE INDEX proposal_search_document ON proposal_search USING gin (document);
      CREATE UNIQUE INDEX proposal_search_own_text ON proposal_search (proposal_id) WHERE own_text;

      CREATE TABLE proposal_search_position (
        id       SMALLINT PRIMARY KEY CHECK (id = 1),
        position BIGINT NOT NULL
      );
      INSERT INTO proposal_search_position VALUES (1, 0);

      -- Never fails on an event of the log: its JSON may hold escapes jsonb refuses (\\u0000, a lone
      -- surrogate), which become spaces here (an escaped backslash is first written as the escape \\u005c, so
      -- that every backslash left starts an escape); a missing field is an empty string; text that still
      -- cannot be read is indexed as no words, so that one event never stops the index.
      CREATE FUNCTION proposal_search_index(at BIGINT, kind TEXT, payload TEXT) RETURNS void
        LANGUAGE plpgsql AS $$
      DECLARE
        fields JSONB;
        words tsvector;
      BEGIN
        BEGIN
          IF payload ~ '\\\\u(0000|[dD][89a-fA-F])' THEN
            payload := regexp_replace(
              regexp_replace(payload, '\\\\\\\\', '\\\\u005c', 'g'), '\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', ' ', 'g');
          END IF;
          fields := payload::jsonb;
          words := dialogue_search_document(coalesce(fields->>'title', ''), coalesce(fields->>'body', ''));
        EXCEPTION WHEN OTHERS THEN
          fields := coalesce(fields, '{}'::jsonb);
          words := ''::tsvector;
        END;
        IF kind = 'ProposalRevised' THEN
          UPDATE proposal_search SET document = words
           WHERE proposal_id = fields->>'proposalId' AND own_text;
        ELSE
          INSERT INTO proposal_search VALUES (
            at, coalesce(fields->>'proposalId', ''), coalesce(fields->>'groupId', ''),
            coalesce(fields->>'visibility', ''), kind = 'ProposalSubmitted', words)
          ON CONFLICT DO NOTHING;
        END IF;
      END $$;

      -- Indexes, in log order, at most \`page\` events with text beyond the index's position, and answers how
      -- many positions the log still holds beyond it (0: caught up). Followers take turns on the position
      -- row; one that waited finds the work done. Reads without a lock when there is nothing to do.
      CREATE FUNCTION proposal_search_follow(page BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
      DECLARE
        head BIGINT;
        done BIGINT;
        upto BIGINT;
        indexed BIGINT := 0;
        event RECORD;
      BEGIN
        SELECT position INTO head FROM log_head WHERE id = 1;
        SELECT position INTO done FROM proposal_search_position WHERE id = 1;
        IF done >= head THEN RETURN 0; END IF;
        SELECT position INTO done FROM proposal_search_position WHERE id = 1 FOR UPDATE;
        upto := head;
        FOR event IN SELECT e.position, e.type, e.data FROM events e
            WHERE e.position > done AND e.position <= head
              AND e.type IN ('ProposalSubmitted', 'ProposalRevised', 'CommentPosted')
            ORDER BY e.position LIMIT page LOOP
          PERFORM proposal_search_index(event.position, event.type, event.data);
          indexed := indexed + 1;
          -- A full page ends at its last event: the rest is the next call's.
          IF indexed = page THEN upto := event.position; END IF;
        END LOOP;
        UPDATE proposal_search_position SET position = greatest(position, upto) WHERE id = 1;
        RETURN greatest(head - upto, 0);
      END $$;
    `,
  },
];
