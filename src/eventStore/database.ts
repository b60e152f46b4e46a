import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from '../../migrations/index';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database } from '../db/schema';

export type Sqlite = BetterSqlite3.Database;
export type Synchronous = 'FULL' | 'NORMAL' | 'EXTRA';

export interface DatabaseOptions {
  url: string;
  synchronous?: Synchronous;
  busyTimeoutMs?: number;
  /** WAL pages after which a commit checkpoints (WAL_AUTOCHECKPOINT_PAGES unless given). */
  walAutocheckpointPages?: number;
  /** Open without migrating (for tools that must not change a database, such as offline checks). */
  migrate?: boolean;
  readonly?: boolean;
}

export interface DatabaseSettings {
  journalMode: string;
  synchronous: Synchronous | 'OFF';
  foreignKeys: boolean;
  busyTimeoutMs: number;
  walAutocheckpointPages: number;
}

/** An open database: the better-sqlite3 connection, Kysely over it, and the settings it was opened with. */
export interface DatabaseHandle {
  sqlite: Sqlite;
  /**
   * Kysely over the same connection, for queries. Never open a Kysely transaction at run time: the event
   * store's synchronous transactions share this connection (migrations run before anything else).
   */
  kysely: Kysely<Database>;
  settings: DatabaseSettings;
  close(): Promise<void>;
}

/**
 * Kysely treats SQLite as having no transactional DDL and opens deferred transactions, so two processes
 * migrating at once would both read "not applied" and race. SQLite's DDL is transactional: the migrator
 * runs in one immediate transaction, which takes the write lock first, so the second process waits (busy
 * timeout), then sees every migration applied and does nothing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: SqliteDialectConfig) {
    super(options);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

/**
 * WAL pages after which a commit copies the log's pages back into the database file (SQLite's default is
 * 1,000): a checkpoint writes each page once however often it changed, so hot pages are written back less
 * often, for a larger WAL (docs/performance.md).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Puts the database in WAL mode. On a new database the switch takes the write lock without waiting (the busy
 * timeout does not apply), so two processes starting on one new file could see "database is locked": it is
 * tried again until the busy timeout has passed, as a locked write would wait (docs/performance.md).
 */
async function switchToWal(sqlite: Sqlite, busyTimeoutMs: number): Promise<void> {
  const until = Date.now() + busyTimeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= until) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Opens the database with durable settings and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const inMemory = options.url === ':memory:' || options.url === '';
  if (!inMemory) mkdirSync(path.dirname(path.resolve(options.url)), { recursive: true });
  const sqlite = new BetterSqlite3(options.url, { readonly: options.readonly ?? false });
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (!options.readonly) {
    try {
      await switchToWal(sqlite, busyTimeoutMs);
    } catch (error) {
      sqlite.close();
      throw error;
    }
  }
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(
    `wal_autocheckpoint = ${Math.max(1, Math.trunc(options.walAutocheckpointPages ?? WAL_AUTOCHECKPOINT_PAGES))}`,
  );
  const settings = readSettings(sqlite);
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  const database: DatabaseHandle = {
    sqlite,
    kysely,
    settings,
    close: async () => {
      await kysely.destroy();
    },
  };
  if (options.migrate !== false) {
    try {
      await migrateToLatest(kysely);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

export function readSettings(sqlite: Sqlite): DatabaseSettings {
  const sync = Number(sqlite.pragma('synchronous', { simple: true }));
  return {
    journalMode: String(sqlite.pragma('journal_mode', { simple: true })),
    synchronous: SYNCHRONOUS_NAMES[sync] ?? 'OFF',
    foreignKeys: Number(sqlite.pragma('foreign_keys', { simple: true })) === 1,
    busyTimeoutMs: Number(sqlite.pragma('busy_timeout', { simple: true })),
    walAutocheckpointPages: Number(sqlite.pragma('wal_autocheckpoint', { simple: true })),
  };
}

/** Applies every pending migration of migrations/; a no-op when none is pending. */
export async function migrateToLatest(kysely: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes('corrupted migrations')) {
      throw new Error(
        `the database was migrated by a newer version of this service (${message}); refusing to start with older code`,
      );
    }
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${message}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * A runner of reads in one read transaction (or in the transaction already open): what they read comes from
 * one state of the database, whatever another process commits meanwhile, and the connection takes the WAL's
 * read lock once for all of them instead of once per statement. Made once per owner of prepared statements.
 */
export function readsTogether(sqlite: Sqlite): <T>(read: () => T) => T {
  const run = sqlite.transaction((read: () => unknown) => read());
  return <T>(read: () => T) => run(read) as T;
}
