import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { nanoid } from 'nanoid';
import type { Sqlite } from '../eventStore/database';

/** The schema name the build's file is attached under, for the rebuild's transaction to copy it. */
const SCHEMA = 'search_build';

/** FTS5's tables behind a table `t`: `t_data` (segments), `t_idx`, `t_docsize` (per-row sizes), `t_config`. */
const SHADOW_TABLES = ['data', 'idx', 'docsize', 'config'] as const;

/** Longest wait for the thread before the rebuild fills the index itself: a safety net, never a timing. */
const MAX_WAIT_MS = 30 * 60 * 1000;

/**
 * The build thread: its own connection writes the index into the build's file, reading the comments' text
 * straight from the log (attached, only read). `signal[0]` becomes 1 when the index is complete, 2 if it
 * failed (the reason is posted on `port`).
 */
const BUILD_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const signal = new Int32Array(workerData.signal);
let outcome = 2;
try {
  const db = new Database(workerData.file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('busy_timeout = 5000');
    db.prepare('ATTACH DATABASE ? AS log').run(workerData.log);
    for (const sql of workerData.settings) db.exec(sql);
    db.prepare(workerData.fill).run(workerData.head);
  } finally {
    db.close();
  }
  outcome = 1;
} catch (error) {
  workerData.port.postMessage(String(error && error.message || error));
}
Atomics.store(signal, 0, outcome);
Atomics.notify(signal, 0);
`;

/**
 * Builds the comments' part of the search index on a second thread while a rebuild replays the log on the
 * first one (profiled on the 1,000,000-event log: filling the index after the replay was a third of the
 * rebuild). The thread writes a complete FTS5 index of every comment into a file of its own; at the end
 * of the replay the rebuild's transaction copies that index's tables into the real one, as they are, and
 * adds the proposals' text (whose latest revision only the replay knows).
 *
 * The file is attached before the rebuild's transaction begins (SQLite attaches nothing inside one), and
 * that transaction must be deferred: an immediate one would lock the attached file against the thread.
 * Anything unusual (a database in memory, a thread that cannot start or fails, a file that cannot be
 * written) leaves `ready()` false, and the rebuild fills the index itself, as it always could.
 */
export class SearchBuild {
  private worker: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly channel = new MessageChannel();
  /** Why the build was not used, when it was not. */
  failure: string | undefined;

  private constructor(
    private readonly sqlite: Sqlite,
    private readonly file: string,
    private readonly definition: string,
  ) {}

  /**
   * Outside any transaction: creates the build's file with the index's own definition and attaches it.
   * Undefined when the database has no file of its own.
   */
  static prepare(sqlite: Sqlite, definition: string): SearchBuild | undefined {
    if (sqlite.memory || sqlite.readonly || sqlite.inTransaction) return undefined;
    const file = `${sqlite.name}.search-build-${nanoid(8)}`;
    const build = new SearchBuild(sqlite, file, definition);
    try {
      const db = new BetterSqlite3(file);
      try {
        db.exec(definition);
      } finally {
        db.close();
      }
      sqlite.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(file);
      return build;
    } catch {
      build.removeFile();
      return undefined;
    }
  }

  /** Inside the rebuild's transaction, once its head is known: starts the thread on the comments up to it. */
  start(head: number, settings: readonly string[], fill: string): void {
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const port = this.channel.port2;
      this.worker = new Worker(BUILD_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { driver, file: this.file, log: this.sqlite.name, head, settings, fill, signal: this.signal.buffer, port },
        transferList: [port],
      });
      this.worker.unref();
      // A thread that dies before it signals (out of memory) reports here; the wait below sees no signal.
      this.worker.on('error', (error) => {
        this.failure ??= error.message;
      });
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  /** Waits for the thread (blocking: the rebuild's transaction is synchronous); true when its index is complete. */
  ready(): boolean {
    if (!this.worker) return false;
    Atomics.wait(this.signal, 0, 0, MAX_WAIT_MS);
    const outcome = Atomics.load(this.signal, 0);
    if (outcome !== 1) {
      this.failure ??= (receiveMessageOnPort(this.channel.port1)?.message as string | undefined) ?? 'the build thread did not finish';
    }
    return outcome === 1;
  }

  /**
   * Inside the rebuild's transaction, after `ready()`: replaces the index `table` (empty) with the build's.
   * The table is created again first, so that FTS5 holds nothing of it in memory, then its tables take the
   * build's rows, which is the whole index (written by the same SQLite, from the same definition).
   * Writing FTS5's own tables needs SQLite's defensive mode off, for these statements only.
   */
  copyInto(table: string): void {
    this.sqlite.prepare(`DROP TABLE main.${table}`).run();
    this.sqlite.exec(this.definition);
    this.sqlite.unsafeMode(true);
    try {
      for (const suffix of SHADOW_TABLES) {
        this.sqlite.prepare(`DELETE FROM main.${table}_${suffix}`).run();
        this.sqlite.prepare(`INSERT INTO main.${table}_${suffix} SELECT * FROM ${SCHEMA}.${table}_${suffix}`).run();
      }
    } finally {
      this.sqlite.unsafeMode(false);
    }
  }

  /** Outside the transaction, whatever happened: stops the thread, detaches and removes the file. */
  dispose(): void {
    if (this.worker) void this.worker.terminate();
    this.channel.port1.close();
    try {
      this.sqlite.prepare(`DETACH DATABASE ${SCHEMA}`).run();
    } catch {
      // Not attached (prepare failed half-way), or the connection is closed: nothing to detach.
    }
    this.removeFile();
  }

  private removeFile(): void {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${this.file}${suffix}`, { force: true });
  }
}
