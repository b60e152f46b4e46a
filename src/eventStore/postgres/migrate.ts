import { type Kysely, sql } from 'kysely';
import { POSTGRES_MIGRATIONS } from '../../../migrations/postgres/index';
import type { PgDatabase } from '../../db/pgSchema';

/** Raised when the database was migrated by newer code: this code must not write to it. */
export class NewerSchema extends Error {}

/**
 * Applies the PostgreSQL migrations not yet applied, in one transaction under an advisory lock (two
 * instances starting at once: the second waits, then finds nothing to do). A database that is already
 * current is only read, so a role without DDL rights can run the service on it.
 */
export async function migratePostgres(db: Kysely<PgDatabase>): Promise<string[]> {
  if (await isCurrent(db)) return [];
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('dialogue_migrations:' || current_schema()))`.execute(trx);
    await trx.schema
      .createTable('dialogue_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('applied_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute();
    const applied = await appliedNames(trx);
    const done: string[] = [];
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.includes(migration.name)) continue;
      // A migration is PostgreSQL's own DDL, functions and triggers: SQL text, several statements.
      await sql.raw(migration.sql).execute(trx);
      await trx.insertInto('dialogue_migrations').values({ name: migration.name }).execute();
      done.push(migration.name);
    }
    return done;
  });
}

async function appliedNames(db: Kysely<PgDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('dialogue_migrations').select('name').orderBy('name').execute();
  const names = rows.map((row) => row.name);
  const known = new Set(POSTGRES_MIGRATIONS.map((migration) => migration.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new NewerSchema(
      `the PostgreSQL database was migrated by newer code (${unknown.join(', ')} unknown to this version): run that version, or restore a backup taken before it`,
    );
  return names;
}

/** Whether every migration is applied (and none unknown). Throws `NewerSchema` for a newer database. */
export async function isCurrent(db: Kysely<PgDatabase>): Promise<boolean> {
  const table = await sql<{ exists: string | null }>`SELECT to_regclass('dialogue_migrations') AS exists`.execute(db);
  if (!table.rows[0]?.exists) return false;
  const names = await appliedNames(db);
  return POSTGRES_MIGRATIONS.every((migration) => names.includes(migration.name));
}
