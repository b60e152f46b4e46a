import { rmSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { verifyRows } from '../src/audit/verify';
import { EventReader } from '../src/eventStore/read';
import { errorMessage } from './cli';

/** The files SQLite may keep beside a database file. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Removes a database file and whatever SQLite keeps beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${file}${suffix}`, { force: true });
}

export interface CopyCheck {
  /** Why the copy must not be used, or null. */
  problem: string | null;
  events: number;
  head: { position: number; hash: string };
}

/**
 * Makes a copy of the database one self-contained file and checks it. A copy left in WAL mode grows a -wal
 * and a -shm file beside it as soon as anything opens it; in rollback-journal mode it is one file that can
 * be moved, copied and opened alone. Then `integrity_check`, and the whole hash chain from the genesis.
 */
export function settleAndCheck(copy: BetterSqlite3.Database): CopyCheck {
  const none = { events: 0, head: { position: 0, hash: '' } };
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') return { problem: `it fails integrity_check: ${integrity}`, ...none };
    const chain = verifyRows(new EventReader(copy).iterateRows());
    const problem = chain.ok
      ? null
      : `its chain is broken at position ${chain.failure?.position}: ${chain.failure?.reason}`;
    return { problem, events: chain.checked, head: chain.head };
  } catch (error) {
    return { problem: `it is not a readable database of this service (${errorMessage(error)})`, ...none };
  }
}
