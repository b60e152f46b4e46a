/** A thread's module for threadModule.test.ts: types to strip, a package to require from its own file. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SearchFill } from '../../src/proposals/search/searchFill';

const fill: Pick<SearchFill, 'clear'> = { clear: `SELECT ${Number(workerData)} * 2 AS doubled` };
const db = new Database(':memory:');
const doubled = db.prepare<[], { doubled: number }>(fill.clear).get()?.doubled;
// Resolves only with the module's own `require` (relative to this file, not to the working directory).
parentPort?.postMessage({ doubled, self: require.resolve('./typedThread.ts') });
db.close();
