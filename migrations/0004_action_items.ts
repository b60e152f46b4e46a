import { type Kysely, sql } from 'kysely';

/** Views of action items: disposable, rebuilt from the log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE action_items (
      id              TEXT PRIMARY KEY,
      group_id        TEXT NOT NULL,
      visibility      TEXT NOT NULL CHECK (visibility IN ('dialogue', 'members')),
      seq             INTEGER NOT NULL UNIQUE,
      title           TEXT NOT NULL,
      owner_entity_id TEXT NOT NULL,
      due_date        TEXT NOT NULL,
      proposal_id     TEXT,
      status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
      percent         INTEGER NOT NULL DEFAULT 0,
      version         INTEGER NOT NULL,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX action_items_by_group_due ON action_items (group_id, due_date, id)`.execute(db);
  await sql`CREATE INDEX action_items_by_proposal ON action_items (proposal_id)`.execute(db);
  await sql`
    CREATE TABLE action_item_history (
      action_item_id TEXT NOT NULL,
      version        INTEGER NOT NULL,
      position       INTEGER NOT NULL,
      type           TEXT NOT NULL,
      entity_id      TEXT,
      person         TEXT NOT NULL,
      role           TEXT NOT NULL,
      at             TEXT NOT NULL,
      detail         TEXT NOT NULL,
      PRIMARY KEY (action_item_id, version)
    ) STRICT, WITHOUT ROWID`.execute(db);
}
