import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { IdempotencyKeysTable } from '../src/db/schema';
import { claimsInLog } from '../src/editions/claims';
import { type Config, systemClock } from '../src/config';
import { PgLog } from '../src/eventStore/postgres/pgLog';
import { followSearchIndex } from '../src/proposals/search/pgSearch';
import { logStatements } from '../src/eventStore/postgres/statements';
import { insertClaims, insertKeyRows, insertRows } from '../src/eventStore/postgres/writes';
import { EVENT_COLUMN_NAMES, type RawEventRow } from '../src/eventStore/rawRows';
import { type EventRow, EventReader } from '../src/eventStore/read';
import { openRuntime } from '../src/runtime';
import { verifyRows } from '../src/audit/verify';
import { fail, progressLine } from './cli';
import { type CopyCheck, settleAndCheck } from './databaseCopy';
import { copyPgLog, openPgLog } from './logCopy';

/** Events written per statement by a restore. */
const RESTORE_PAGE = 1000;

/**
 * A backup of the PostgreSQL log in the same format as SQLite's: a SQLite database holding the log up to
 * the head when the backup starts, with every view folded, checked like any backup. It is this instance's
 * replica written to a file, so it can serve a SQLite deployment as it is or be restored into PostgreSQL.
 */
export async function backupPostgres(config: Config, partial: string): Promise<CopyCheck> {
  const runtime = await openRuntime({ ...config, REPLICA_PATH: partial, SQLITE_SYNCHRONOUS: 'NORMAL' }, systemClock);
  await runtime.close();
  const copy = new BetterSqlite3(partial, { fileMustExist: true });
  try {
    await copyKeptKeys(config, copy);
    return settleAndCheck(copy);
  } finally {
    copy.close();
  }
}

/**
 * Restores a backup (of either store) into an empty PostgreSQL log, in one transaction, then reads the
 * whole log back and verifies its chain. The log is append-only: a log that holds events is never
 * replaced, so a restore goes into a new database or schema.
 */
export async function restorePostgres(config: Config, backupFile: string, say: (line: string) => void): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dialogue-restore-'));
  try {
    // The backup itself is never opened (opening a WAL-mode file writes beside it): a copy is checked.
    const staged = path.join(folder, 'backup.sqlite');
    copyFileSync(backupFile, staged);
    if (existsSync(`${backupFile}-wal`)) copyFileSync(`${backupFile}-wal`, `${staged}-wal`);
    const backup = new BetterSqlite3(staged, { fileMustExist: true });
    try {
      const check = settleAndCheck(backup);
      if (check.problem) throw new Error(`${backupFile} is not a usable backup: ${check.problem}; nothing restored`);
      say(`${backupFile}: ${check.events} events, head position ${check.head.position}; integrity ok, chain ok`);
      const remote = await PgLog.open({
        url: config.DATABASE_URL,
        poolSize: 2,
        connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: Math.max(config.PG_STATEMENT_TIMEOUT_MS, 60_000),
      });
      try {
        await writeAll(remote, backup, check);
        await verifyRestored(remote, check, say);
        // The search index follows the log: filled here, so that no search after the restore waits for it.
        await followSearchIndex(remote.pool, (remaining) => {
          if (remaining > 0) say(`search index: ${remaining} positions left`);
        });
        say('search index: up to date');
      } finally {
        await remote.close();
      }
    } finally {
      backup.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function writeAll(remote: PgLog, backup: BetterSqlite3.Database, check: CopyCheck): Promise<void> {
  const client = await remote.pool.connect();
  try {
    await client.query('BEGIN');
    const [head] = await logStatements.lockedHead.rows(client, {});
    const held = head?.position ?? 0;
    if (held > 0) {
      throw new Error(
        `the PostgreSQL log already holds ${held} events; the log is append-only, so a restore goes into a new, empty database or schema; nothing restored`,
      );
    }
    const started = performance.now();
    let written = 0;
    await inPages(new EventReader(backup).iterateRows(), async (page: EventRow[]) => {
      await insertRows(
        client,
        page.map((row) => EVENT_COLUMN_NAMES.map((column) => row[column]) as RawEventRow),
      );
      written += page.length;
      if (check.events > 10_000) progressLine('restore', written, check.events, performance.now() - started);
    });
    const keys = backup
      .prepare<[number], IdempotencyKeysTable>(
        `SELECT ${KEY_COLUMNS} FROM idempotency_keys WHERE position <= ? ORDER BY position`,
      )
      .iterate(check.head.position);
    await inPages(keys, (page) => insertKeyRows(client, page));
    await insertClaims(client, claimsInLog(backup));
    await logStatements.moveHead.rows(client, check.head);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const KEY_COLUMNS = 'key, fingerprint, status_code, body, position, recorded_at';

/**
 * The shared log's idempotency keys up to the backup's head, into the backup (where SQLite keeps its own):
 * a client retrying a write after a restore is answered with its first response, not recorded twice.
 */
async function copyKeptKeys(config: Config, copy: BetterSqlite3.Database): Promise<void> {
  const head = new EventReader(copy).head().position;
  const remote = await openPgLog(config);
  const insert = copy.prepare<[IdempotencyKeysTable]>(
    `INSERT OR IGNORE INTO idempotency_keys (${KEY_COLUMNS})
     VALUES (@key, @fingerprint, @status_code, @body, @position, @recorded_at)`,
  );
  const insertPage = copy.transaction((rows: IdempotencyKeysTable[]) => {
    for (const row of rows) insert.run(row);
  });
  try {
    // Pages in (position, key) order: the keys of one position (an append) never straddle a page boundary.
    for (let after = { position: 0, key: '' }; ; ) {
      const page = await remote.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where((eb) => eb(eb.refTuple('position', 'key'), '>', eb.tuple(after.position, after.key)))
        .where('position', '<=', head)
        .orderBy('position')
        .orderBy('key')
        .limit(RESTORE_PAGE)
        .execute();
      insertPage(page);
      const last = page[page.length - 1];
      if (!last || page.length < RESTORE_PAGE) break;
      after = { position: last.position, key: last.key };
    }
  } finally {
    await remote.close();
  }
}

/** Writes rows a page of RESTORE_PAGE at a time, in order. */
async function inPages<T>(rows: Iterable<T>, write: (page: T[]) => Promise<void>): Promise<void> {
  let page: T[] = [];
  for (const row of rows) {
    page.push(row);
    if (page.length === RESTORE_PAGE) {
      await write(page);
      page = [];
    }
  }
  if (page.length > 0) await write(page);
}

/** Reads the restored log back from PostgreSQL and verifies it whole: what is checked is what the servers will read. */
async function verifyRestored(remote: PgLog, check: CopyCheck, say: (line: string) => void): Promise<void> {
  const copy = await copyPgLog(remote, 'restore', (position, reason) =>
    fail(`restore: the restored log is broken at position ${position}: ${reason}`, 1),
  );
  try {
    const result = verifyRows(new EventReader(copy.db.sqlite).iterateRows());
    if (!result.ok || result.head.hash !== check.head.hash)
      throw new Error(`the restored log does not verify (${result.failure?.reason ?? 'another head'})`);
    say(
      `restored into PostgreSQL: ${result.checked} events, head position ${result.head.position} hash ${result.head.hash}; chain ok`,
    );
  } finally {
    await copy.close();
  }
}
