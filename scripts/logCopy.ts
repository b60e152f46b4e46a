import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config';
import { type DatabaseHandle, openDatabase } from '../src/eventStore/database';
import { PgLog } from '../src/eventStore/postgres/pgLog';
import { prepareEventInsert } from '../src/eventStore/store';
import { progressLine } from './cli';

/** Rows read from PostgreSQL per query, and inserted per SQLite transaction. */
const PAGE = 5000;

export interface LogCopy {
  db: DatabaseHandle;
  /** Closes the copy and deletes its file. */
  close(): Promise<void>;
}

/** Opens the shared log read-only in spirit: the audit tools never migrate nor write PostgreSQL. */
export async function openPgLog(config: Config): Promise<PgLog> {
  return PgLog.open({
    url: config.DATABASE_URL,
    poolSize: 2,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    // A page of a long log may take longer than a request's statement.
    statementTimeoutMs: Math.max(config.PG_STATEMENT_TIMEOUT_MS, 60_000),
    migrate: false,
  });
}

/**
 * The PostgreSQL log, up to its head when the copy starts, in a temporary SQLite database, row for row as
 * stored (no view is folded): the audit tools then read it exactly as they read a SQLite log, so an export
 * is the same file from either store. The log is append-only with consecutive positions, so the rows up to
 * one head are a consistent snapshot without holding a transaction open. A row that does not continue the
 * chain's links is refused by SQLite's own trigger: `onBroken` says where.
 */
export async function copyPgLog(
  remote: PgLog,
  tool: string,
  onBroken: (position: number, reason: string) => never,
): Promise<LogCopy> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dialogue-log-copy-'));
  const db = await openDatabase({ url: path.join(folder, 'log.sqlite'), synchronous: 'NORMAL' });
  const close = async () => {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const head = (await remote.head()).position;
    const insert = prepareEventInsert(db.sqlite);
    const started = performance.now();
    for (let copied = 0; copied < head; ) {
      const rows = await remote.readRows(copied, Math.min(PAGE, head - copied));
      if (rows.length === 0) break;
      const broken = db.sqlite.transaction(() => {
        for (const row of rows) {
          try {
            insert.run(...row);
          } catch (error) {
            return { position: row[0], reason: `it does not continue the chain (${(error as Error).message})` };
          }
        }
        return null;
      })();
      if (broken) {
        await close();
        onBroken(broken.position, broken.reason);
      }
      copied = rows[rows.length - 1]?.[0] ?? head;
      if (head > 10_000) progressLine(`${tool}: reading PostgreSQL`, copied, head, performance.now() - started);
    }
    return { db, close };
  } catch (error) {
    await close();
    throw error;
  }
}
