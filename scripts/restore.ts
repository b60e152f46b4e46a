import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { readLatestCheckpoint } from '../src/audit/checkpoint';
import { checkpointDirectory } from '../src/audit/checkpointWriter';
import { type Config, loadConfig } from '../src/config';
import { EventReader } from '../src/eventStore/read';
import { checkpointNotHeld } from '../src/startupGuards';
import { errorMessage, fail, requireReadableFile, runCli } from './cli';
import { removeDatabaseFiles, settleAndCheck, SIDE_FILES } from './databaseCopy';
import { restorePostgres } from './pgBackup';
import { compareWithLive } from './restoreReport';
import { isPostgresUrl } from '../src/eventStore/postgres/url';

const USAGE = `usage: npm run --silent restore -- <backup-file> [--force]
puts a backup made by \`npm run backup\` in the place of DATABASE_URL; stop the server first. The backup is
checked first; the live database is renamed aside, never deleted. A backup that does not hold the latest
signed checkpoint is refused unless --force, which then moves the checkpoint folder aside. With PostgreSQL,
the backup goes into a new, empty database or schema (the log is append-only) and is verified there.`;

function parseOptions() {
  try {
    const { values, positionals } = parseArgs({
      options: { force: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) fail(USAGE);
    return { backup: positionals[0] as string, force: values.force };
  } catch (error) {
    fail(`${errorMessage(error)}\n${USAGE}`);
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Checks that no other process has the live database open, and leaves it one self-contained file. Leaving
 * WAL mode needs every other connection closed: a server, even idle, holds the WAL's shared memory open, so
 * the switch fails (SQLITE_BUSY) and nothing has changed. A live database SQLite cannot read at all (often
 * the reason for a restore) is moved aside as it is, with its side files.
 */
function settleLive(live: BetterSqlite3.Database, file: string): boolean {
  try {
    live.pragma('journal_mode = DELETE');
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') {
      say(`the live database cannot be read (${errorMessage(error)}): it is moved aside as it is`);
      return false;
    }
    live.close();
    fail(`restore: ${file} is open in another process (is the server running? stop it first); nothing restored`, 1);
  }
}

/** Says what the restore takes back from the live log (when it can be read), then renames it aside. */
function moveLiveAside(liveFile: string, backup: EventReader, aside: string): void {
  const live = new BetterSqlite3(liveFile, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 1000');
    if (settleLive(live, liveFile)) {
      for (const line of compareWithLive(backup, new EventReader(live))) say(line);
    }
  } catch (error) {
    say(`the live log cannot be read (${errorMessage(error)}): what the restore takes back from it is not known`);
  } finally {
    live.close();
  }
  moveDatabase(liveFile, aside);
  say(`the live database was moved aside to ${aside} (not deleted)`);
}

/** Renames a database file aside with the files SQLite may keep beside it. */
function moveDatabase(from: string, to: string): void {
  renameSync(from, to);
  for (const suffix of SIDE_FILES) if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
}

/** The latest signed checkpoint the backup does not hold, refused unless --force; returns the folder to move aside. */
function checkpointFolderToMove(config: Config, backup: EventReader, force: boolean): string | null {
  const folder = checkpointDirectory(config.DATABASE_URL, config.CHECKPOINT_DIR);
  const latest = folder === null ? undefined : readLatestCheckpoint(folder);
  const notHeld = latest === undefined ? null : checkpointNotHeld(backup, latest);
  if (folder === null || notHeld === null) return null;
  const refusal = `the backup does not hold the latest signed checkpoint (${path.join(folder, 'latest.json')}): ${notHeld}`;
  if (!force) {
    fail(
      `restore: ${refusal}; the server would refuse to start on it. Restore a newer backup, or this one with --force ` +
        '(the checkpoint folder is then moved aside, kept as evidence); nothing restored',
      1,
    );
  }
  say(`${refusal}; --force: the checkpoint folder will be moved aside`);
  return folder;
}

runCli('restore', async () => {
  const options = parseOptions();
  const config = loadConfig();
  if (isPostgresUrl(config.DATABASE_URL)) {
    const backupFile = path.resolve(requireReadableFile('restore', options.backup, 'the backup'));
    await restorePostgres(config, backupFile, say);
    return;
  }
  if (config.DATABASE_URL === ':memory:')
    fail('restore: DATABASE_URL is :memory:, there is no database file to restore into');
  const backupFile = path.resolve(requireReadableFile('restore', options.backup, 'the backup'));
  const liveFile = path.resolve(config.DATABASE_URL);
  if (backupFile === liveFile) fail('restore: the backup is DATABASE_URL itself');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  // The backup is checked as a copy next to the live database: the backup itself is never opened (opening
  // a WAL-mode file writes beside it), and what is checked is what is put in place, by a rename.
  mkdirSync(path.dirname(liveFile), { recursive: true });
  const staged = `${liveFile}.restore-partial`;
  const removeStaged = () => removeDatabaseFiles(staged);
  removeStaged();
  // Every refusal below exits at once: the staged copy goes with it, whichever way the process ends.
  let installed = false;
  process.on('exit', () => installed || removeStaged());
  copyFileSync(backupFile, staged);
  if (existsSync(`${backupFile}-wal`)) copyFileSync(`${backupFile}-wal`, `${staged}-wal`);
  const copy = new BetterSqlite3(staged, { fileMustExist: true });
  const check = settleAndCheck(copy);
  if (check.problem) {
    copy.close();
    fail(`restore: ${backupFile} is not a usable backup: ${check.problem}; nothing restored`, 1);
  }
  const backup = new EventReader(copy);
  say(`${backupFile}: ${check.events} events, head position ${check.head.position}; integrity ok, chain ok`);
  const checkpointFolder = checkpointFolderToMove(config, backup, options.force);

  const aside = existsSync(liveFile) ? `${liveFile}.before-restore-${stamp}` : null;
  if (aside !== null) moveLiveAside(liveFile, backup, aside);
  if (checkpointFolder !== null) {
    const movedTo = `${checkpointFolder}.before-restore-${stamp}`;
    renameSync(checkpointFolder, movedTo);
    say(`the checkpoint folder ${checkpointFolder} was moved aside to ${movedTo}: the server starts a new one`);
  }
  try {
    // Back to WAL, which the server requires; closing the last connection leaves no -wal behind.
    copy.pragma('journal_mode = WAL');
    copy.close();
    moveDatabase(staged, liveFile);
    installed = true;
  } catch (error) {
    fail(
      `restore: ${errorMessage(error)}; nothing was put in place${aside ? `, the live database is at ${aside}` : ''}`,
      1,
    );
  }
  say(`${liveFile} now holds the backup (head position ${check.head.position}); start the server`);
});
