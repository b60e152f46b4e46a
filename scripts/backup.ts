import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { verifyRows } from '../src/audit/verify';
import { loadConfig } from '../src/config';
import { EventReader } from '../src/eventStore/read';
import { fail } from './cli';

const USAGE = 'usage: npm run --silent backup -- <file>   online copy of DATABASE_URL, checked after';

/**
 * An online backup with SQLite's backup API while the server keeps writing. All pages are copied in one
 * step, inside one read transaction: the copy is a consistent snapshot (a prefix of the live log), and a
 * busy writer cannot force the copy to restart forever. WAL readers never block writers.
 */
async function main(): Promise<void> {
  const [target, ...extra] = process.argv.slice(2);
  if (!target || extra.length > 0 || target.startsWith('-')) fail(USAGE);
  const config = loadConfig();
  if (config.DATABASE_URL === ':memory:') fail('backup: DATABASE_URL is :memory:, there is nothing on disk to copy');
  if (!existsSync(config.DATABASE_URL)) fail(`backup: no database at ${config.DATABASE_URL}`);
  const file = path.resolve(target);
  if (existsSync(file)) fail(`backup: ${file} exists; choose a new file (a backup never overwrites)`);

  // Written under a temporary name and renamed only once checked: a failed backup never looks like one.
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const source = new BetterSqlite3(config.DATABASE_URL, { fileMustExist: true });
  source.pragma(`busy_timeout = ${config.BUSY_TIMEOUT_MS}`);
  const started = performance.now();
  try {
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }

  const copy = new BetterSqlite3(partial, { readonly: true, fileMustExist: true });
  let problem: string | null = null;
  let summary = '';
  try {
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    const chain = verifyRows(new EventReader(copy).iterateRows());
    if (integrity !== 'ok') problem = `the copy fails integrity_check: ${integrity}`;
    else if (!chain.ok) problem = `the copy's chain is broken at position ${chain.failure?.position}: ${chain.failure?.reason}`;
    summary = `${chain.checked} events, head position ${chain.head.position} hash ${chain.head.hash}`;
  } finally {
    copy.close();
  }
  if (problem) {
    rmSync(partial, { force: true });
    fail(`backup: ${problem}; no backup written`, 1);
  }
  renameSync(partial, file);
  process.stdout.write(`backup: ${file}: ${summary}; integrity ok, chain ok (${Math.round(performance.now() - started)} ms)\n`);
}

main().catch((error: unknown) => fail(`backup: ${error instanceof Error ? error.message : String(error)}`, 1));
