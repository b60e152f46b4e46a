import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Sqlite } from '../../eventStore/database';
import { threadModuleSourceSync } from '../../workers/threadModule';
import type { BuildData, BuildStates } from './searchBuildThread';
import { FILL_RANGE, type SearchFill } from './searchFill';

/** The schema name the build's file is attached under, for the rebuild's transaction to copy it. */
const SCHEMA = 'search_build';

/** FTS5's tables behind a table `t`: `t_data` (segments), `t_idx`, `t_docsize` (per-row sizes), `t_config`. */
const SHADOW_TABLES = ['data', 'idx', 'docsize', 'config'] as const;

/** The build thread's state, in `signal[0]`; `signal[1]` is 1 when the rebuild asks it to stop. */
const STATE: BuildStates = { starting: 0, done: 1, failed: 2, running: 3 };

/**
 * Safety nets, never timings: how long the rebuild waits for the thread to start, to finish (then the
 * rebuild fills the index itself), and to stop after it was asked to (then its file is removed anyway).
 */
const START_WAIT_MS = 60_000;
const MAX_WAIT_MS = 30 * 60 * 1000;
const STOP_WAIT_MS = 30_000;

/**
 * Builds the comments' part of the search index on a second thread while a rebuild replays the log on the
 * first one, which would otherwise fill it after the replay (docs/performance.md). The thread writes complete FTS5 tables of every comment, one per group and visibility that had
 * a table when the rebuild began, into a file of its own; at the end of the replay the rebuild's
 * transaction copies each into the real one, as it is, and adds the proposals' text (whose latest
 * revision only the replay knows).
 *
 * The file is attached before the rebuild's transaction begins (SQLite attaches nothing inside one), and
 * that transaction must be deferred: an immediate one would lock the attached file against the thread.
 * Anything unusual (a database in memory, a thread that cannot start or fails, a file that cannot be
 * written) leaves `ready()` false, and the rebuild fills the index itself, as it always could.
 */
export class SearchBuild {
  private worker: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly channel = new MessageChannel();
  /** Why the build was not used, when it was not. */
  failure: string | undefined;

  private constructor(
    private readonly sqlite: Sqlite,
    private readonly file: string,
    /** Each table the build writes, by name, with its stored definition. */
    private readonly definitions: ReadonlyMap<string, string>,
  ) {}

  /** The tables the build writes. */
  get tables(): string[] {
    return [...this.definitions.keys()];
  }

  /** The build's file, next to the database: one name, so that one left by a crash is found and removed. */
  static fileOf(sqlite: Sqlite): string {
    return `${sqlite.name}.search-build`;
  }

  /** Removes a build's file that a crashed or killed rebuild left behind (a running rebuild keeps its own open). */
  static removeLeftover(sqlite: Sqlite): void {
    if (sqlite.memory || sqlite.readonly) return;
    removeFiles(SearchBuild.fileOf(sqlite));
  }

  /**
   * Outside any transaction: creates the build's file with the index's tables, from their own definitions
   * (by name), and attaches it. A string (why not) when it cannot: a database in memory or read-only, a
   * folder that cannot be written.
   */
  static prepare(sqlite: Sqlite, definitions: ReadonlyMap<string, string>): SearchBuild | string {
    if (sqlite.memory) return 'the database is in memory';
    if (sqlite.readonly) return 'the database is open read-only';
    if (sqlite.inTransaction) return 'the rebuild runs inside another transaction';
    if (definitions.size === 0) return 'no text had been indexed before the rebuild';
    const file = SearchBuild.fileOf(sqlite);
    try {
      removeFiles(file);
      const db = new BetterSqlite3(file);
      try {
        for (const definition of definitions.values()) db.exec(definition);
      } finally {
        db.close();
      }
      // ATTACH and DETACH: statements Kysely does not build.
      sqlite.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(file);
      return new SearchBuild(sqlite, file, definitions);
    } catch (error) {
      removeFiles(file);
      return `its build file could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Inside the rebuild's transaction, once its head is known: starts the thread on the comments up to it,
   * its tables first set with `settings` (FTS5 options).
   */
  start(head: number, settings: readonly string[], fill: SearchFill): void {
    try {
      // Loaded only when a rebuild starts the thread: a server never does (a failure here fills on this thread).
      const source = threadModuleSourceSync(new URL('./searchBuildThread.ts', import.meta.url));
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const port = this.channel.port2;
      const workerData: BuildData = {
        driver,
        file: this.file,
        log: this.sqlite.name,
        head,
        settings,
        fill,
        range: FILL_RANGE,
        state: STATE,
        signal: this.signal.buffer,
        port,
      };
      this.worker = new Worker(source, { eval: true, execArgv: [], workerData, transferList: [port] });
      this.worker.unref();
      // Reported only once the rebuild's transaction has ended (the main thread waits synchronously): for
      // the log. The state in `signal` is what the rebuild goes by.
      this.worker.on('error', () => undefined);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  /** Waits for the thread (blocking: the rebuild's transaction is synchronous); true when its index is complete. */
  ready(): boolean {
    if (!this.worker) return false;
    // A thread that could not start at all never sets its state: wait for it to start, then to finish.
    if (Atomics.wait(this.signal, 0, STATE.starting, START_WAIT_MS) === 'timed-out') {
      this.failure ??= 'the build thread did not start';
      return false;
    }
    Atomics.wait(this.signal, 0, STATE.running, MAX_WAIT_MS);
    const state = Atomics.load(this.signal, 0);
    if (state !== STATE.done) {
      const reason = receiveMessageOnPort(this.channel.port1)?.message as string | undefined;
      this.failure ??= reason ?? 'the build thread did not finish in time';
    }
    return state === STATE.done;
  }

  /**
   * Inside the rebuild's transaction, after `ready()`: replaces the index's `table` (empty) with the build's.
   * The table is created again first, so that FTS5 holds nothing of it in memory, then its tables take the
   * build's rows, which is the whole index (written by the same SQLite, from the same definition).
   * Writing FTS5's own tables needs SQLite's defensive mode off, for these statements only.
   */
  copyInto(table: string): void {
    const definition = this.definitions.get(table);
    if (definition === undefined) throw new Error(`the search build holds no table ${table}`);
    // DDL and FTS5's shadow tables, named at run time: raw SQL.
    this.sqlite.prepare(`DROP TABLE main.${table}`).run();
    this.sqlite.exec(definition);
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

  /**
   * Outside the transaction, whatever happened: asks the thread to stop (it looks between chunks: a thread
   * cannot be interrupted inside SQLite), waits until it has closed its file, detaches and removes the file.
   * Never throws: it runs in the rebuild's `finally`.
   */
  dispose(): void {
    if (this.worker) {
      Atomics.store(this.signal, 1, 1);
      if (Atomics.load(this.signal, 0) === STATE.running) Atomics.wait(this.signal, 0, STATE.running, STOP_WAIT_MS);
      void this.worker.terminate().catch(() => undefined);
    }
    this.channel.port1.close();
    try {
      this.sqlite.prepare(`DETACH DATABASE ${SCHEMA}`).run();
    } catch {
      // Not attached, or the connection is closed: nothing to detach.
    }
    removeFiles(this.file);
  }
}

/** Removes a build's file and whatever SQLite kept beside it; a file that cannot be removed is left (never throws). */
function removeFiles(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) {
    try {
      rmSync(`${file}${suffix}`, { force: true });
    } catch {
      // Removed at the next rebuild or start-up (`removeLeftover`).
    }
  }
}
