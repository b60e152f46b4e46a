import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../../migrations/postgres/index';

/** Raised when the database was migrated by newer code: this code must not write to it. */
export class NewerSchema extends Error {}

/**
 * Applies the PostgreSQL migrations not yet applied, in one transaction under an advisory lock (two
 * instances starting at once: the second waits, then finds nothing to do). A database that is already
 * current is only read, so a role without DDL rights can run the service on it.
 */
export async function migratePostgres(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  // A dropped connection while checked out is an 'error' event: heard here, so it fails the migration only.
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    if (await isCurrent(client)) return [];
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('dialogue_migrations:' || current_schema()))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS dialogue_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const applied = await appliedNames(client);
    const done: string[] = [];
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.includes(migration.name)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO dialogue_migrations (name) VALUES ($1)', [migration.name]);
      done.push(migration.name);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.removeListener('error', ignore);
    client.release();
  }
}

async function appliedNames(client: pg.PoolClient | pg.Pool): Promise<string[]> {
  const result = await client.query<{ name: string }>('SELECT name FROM dialogue_migrations ORDER BY name');
  const names = result.rows.map((row) => row.name);
  const known = new Set(POSTGRES_MIGRATIONS.map((migration) => migration.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new NewerSchema(
      `the PostgreSQL database was migrated by newer code (${unknown.join(', ')} unknown to this version): run that version, or restore a backup taken before it`,
    );
  return names;
}

/** Whether every migration is applied (and none unknown). Throws `NewerSchema` for a newer database. */
export async function isCurrent(client: pg.PoolClient | pg.Pool): Promise<boolean> {
  const table = await client.query<{ exists: string | null }>("SELECT to_regclass('dialogue_migrations') AS exists");
  if (!table.rows[0]?.exists) return false;
  const names = await appliedNames(client);
  return POSTGRES_MIGRATIONS.every((migration) => names.includes(migration.name));
}
