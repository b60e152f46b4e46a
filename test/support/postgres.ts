import pg from 'pg';
import { inject } from 'vitest';

let created = 0;

/** The test run's PostgreSQL server (see postgresGlobalSetup.ts). */
export function postgresServerUrl(): string {
  return inject('postgresUrl');
}

/**
 * A new, empty schema on the run's server and a DATABASE_URL whose connections use it (`search_path`), so
 * that every test has a log of its own while sharing one server.
 */
export async function freshPostgresUrl(): Promise<string> {
  created += 1;
  const schema = `t${process.pid}_${created}_${Math.random().toString(36).slice(2, 8)}`;
  const base = postgresServerUrl();
  const client = new pg.Client(base);
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return withSchema(base, schema);
}

export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
