import { readFileSync } from 'node:fs';
import path from 'node:path';
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

/** One statement on a connection of its own. */
export async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A login role given what migrations/postgres/grants.sql grants on a migrated schema, and the URL that
 * connects as it (the service's role in production, tested as such).
 */
export async function serviceRoleUrl(url: string, prefix: string): Promise<string> {
  const schema = new URL(url).searchParams.get('options')?.split('=')[1] ?? 'public';
  const role = `${prefix}_${schema}`;
  await sql(url, `CREATE ROLE ${role} LOGIN PASSWORD 'app-password'`);
  const grants = readFileSync(path.resolve(import.meta.dirname, '../../migrations/postgres/grants.sql'), 'utf8')
    .replaceAll(':"role"', `"${role}"`)
    .replaceAll(':"schema"', `"${schema}"`);
  await sql(url, grants);
  const restricted = new URL(url);
  restricted.username = role;
  restricted.password = 'app-password';
  return restricted.toString();
}
