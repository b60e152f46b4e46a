import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Config, loadConfig } from '../src/config';
import { isPostgresUrl } from '../src/eventStore/postgres/url';
import { fail, requireDatabase, runCli } from './cli';
import { type CopyCheck, removeDatabaseFiles, settleAndCheck } from './databaseCopy';
import { backupPostgres } from './pgBackup';

const USAGE = 'usage: npm run --silent backup -- <file>   online copy of DATABASE_URL, checked after';

/**
 * An online backup with SQLite's backup API while the server keeps writing. All pages are copied in one
 * step, inside one read transaction: the copy is a consistent snapshot (a prefix of the live log), and a
 * busy writer cannot force the copy to restart forever. WAL readers never block writers.
 */
async function backupSqlite(config: Config, partial: string): Promise<CopyCheck> {
  const source = new BetterSqlite3(config.DATABASE_URL, { fileMustExist: true });
  source.pragma(`busy_timeout = ${config.BUSY_TIMEOUT_MS}`);
  try {
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new BetterSqlite3(partial, { fileMustExist: true });
  try {
    return settleAndCheck(copy);
  } finally {
    copy.close();
  }
}

runCli('backup', async () => {
  const [target, ...extra] = process.argv.slice(2);
  if (!target || extra.length > 0 || target.startsWith('-')) fail(USAGE);
  const config = loadConfig();
  const postgres = isPostgresUrl(config.DATABASE_URL);
  if (config.DATABASE_URL === ':memory:') fail('backup: DATABASE_URL is :memory:, there is nothing on disk to copy');
  requireDatabase('backup', config.DATABASE_URL);
  const file = path.resolve(target);
  if (existsSync(file)) fail(`backup: ${file} exists; choose a new file (a backup never overwrites)`);
  if (!existsSync(path.dirname(file))) fail(`backup: no folder ${path.dirname(file)} for ${file}`);

  // Written under a temporary name and renamed only once checked: a failed backup never looks like one.
  const partial = `${file}.partial`;
  removeDatabaseFiles(partial);
  const started = performance.now();
  let check: CopyCheck;
  try {
    check = postgres ? await backupPostgres(config, partial) : await backupSqlite(config, partial);
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }
  if (check.problem) {
    removeDatabaseFiles(partial);
    fail(`backup: the copy is unusable: ${check.problem}; no backup written`, 1);
  }
  renameSync(partial, file);
  process.stdout.write(
    `backup: ${file}: ${check.events} events, head position ${check.head.position} hash ${check.head.hash}; ` +
      `integrity ok, chain ok (${Math.round(performance.now() - started)} ms)\n`,
  );
});
