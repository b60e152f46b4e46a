/**
 * The search build thread (started by `SearchBuild`): its own connection writes the index into the build's
 * file, reading the comments' text straight from the log (attached, only read), a range of positions per step
 * (`SearchFill`, the same statements the main thread runs when it fills the index itself), until the head or
 * until asked to stop. Whatever happens, it ends by setting its state (done or failed, the reason posted on
 * `port`), and its file is closed by then. This module is a worker's entry point: import only its types
 * elsewhere. It is run stripped of its types, not bundled (`threadModuleSource`): it may import packages,
 * but only types from ours.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerData as data } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchFill } from './searchFill';

/** The thread's state, in `signal[0]`; `signal[1]` is 1 when the rebuild asks it to stop. */
export interface BuildStates {
  starting: 0;
  done: 1;
  failed: 2;
  running: 3;
}

/** What the thread is started with. */
export interface BuildData {
  /** better-sqlite3 as the main thread resolved it, loaded once the thread says it runs. */
  driver: string;
  file: string;
  log: string;
  head: number;
  settings: readonly string[];
  fill: SearchFill;
  range: number;
  /** The values of the states (a thread imports no values from our modules). */
  state: BuildStates;
  signal: SharedArrayBuffer;
  port: MessagePort;
}

const workerData = data as BuildData;
const signal = new Int32Array(workerData.signal);
let outcome: number = workerData.state.failed;
Atomics.store(signal, 0, workerData.state.running);
Atomics.notify(signal, 0);
try {
  // Required here, not imported: a driver that cannot load is a failure the rebuild is told of.
  const Database = require(workerData.driver) as typeof BetterSqlite3;
  const db = new Database(workerData.file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    db.prepare('ATTACH DATABASE ? AS log').run(workerData.log);
    const fill = workerData.fill;
    for (const sql of [...workerData.settings, ...fill.setup]) db.exec(sql);
    const stage = fill.stage.map((sql) => db.prepare(sql));
    const route = fill.route.map((sql) => db.prepare(sql));
    const clear = db.prepare(fill.clear);
    db.exec('BEGIN');
    for (let after = 0; after < workerData.head; after += workerData.range) {
      if (Atomics.load(signal, 1) === 1) throw new Error('stopped by the rebuild');
      for (const statement of stage) statement.run(after, Math.min(workerData.head, after + workerData.range));
      for (const statement of route) statement.run();
      clear.run();
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  outcome = workerData.state.done;
} catch (error) {
  workerData.port.postMessage(String((error as { message?: unknown } | null)?.message || error));
} finally {
  Atomics.store(signal, 0, outcome);
  Atomics.notify(signal, 0);
}
