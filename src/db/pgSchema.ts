import type { ColumnType } from 'kysely';
import type { EventsTable, IdempotencyKeysTable } from './schema';

/**
 * The shared log's tables in PostgreSQL (migrations/postgres/), as Kysely sees them. The log's pool reads
 * BIGINT as a number (src/db/pgStatements.ts), so the log's tables are those of ./schema.ts. The views are
 * not here: every instance folds them into its own SQLite replica.
 */
export interface PgDatabase {
  events: EventsTable;
  log_head: { id: number; position: number; hash: string };
  idempotency_keys: IdempotencyKeysTable;
  claims: { key: string; position: number };
  dialogue_migrations: { name: string; applied_at: ColumnType<Date, never, never> };
}
