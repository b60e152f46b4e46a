import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { type Config, loadConfig, systemClock } from '../src/config';
import { isPostgresUrl } from '../src/eventStore/postgres/url';
import type { ActorRef } from '../src/eventStore/types';
import { openRuntime, type Runtime } from '../src/runtime';

/** The actor recorded on events written by an operator's command-line tool. */
export function operatorActor(): ActorRef {
  let user = 'operator';
  try {
    user = os.userInfo().username;
  } catch {
    // No user name (some containers): keep the generic one.
  }
  return { entityId: null, person: `cli:${user}`, role: 'secretariat' };
}

/** Opens the runtime on DATABASE_URL (migrating it, like the server) and closes it after `work`, which is given the configuration too. */
export async function withRuntime<T>(work: (runtime: Runtime, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config, systemClock);
  try {
    return await work(runtime, config);
  } finally {
    await runtime.close();
  }
}

/** Prints a message on stderr and exits non-zero. */
export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a CLI's work: an unexpected error is one line on stderr and exit code 1, never a stack trace. */
export function runCli(tool: string, work: () => Promise<void>): void {
  work().catch((error: unknown) => fail(`${tool}: ${errorMessage(error)}`, 1));
}

const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Checks an input file before a stream or a library opens it: a missing or unreadable file is one line on
 * stderr naming it (`audit: cannot read the export log.ndjson: no such file`) and exit code 2.
 */
export function requireReadableFile(tool: string, file: string, what: string): string {
  let problem: string | null = null;
  try {
    if (statSync(file).isFile()) accessSync(file, constants.R_OK);
    else problem = 'not a file';
  } catch (error) {
    problem = UNREADABLE[(error as NodeJS.ErrnoException).code ?? ''] ?? errorMessage(error);
  }
  if (problem !== null) fail(`${tool}: cannot read ${what} ${file}: ${problem}`);
  return file;
}

/** The text of an input file, or the one-line refusal of `requireReadableFile`. */
export function readInputFile(tool: string, file: string, what: string): string {
  requireReadableFile(tool, file, what);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    fail(`${tool}: cannot read ${what} ${file}: ${errorMessage(error)}`);
  }
}

/** A tool that reads the log refuses a missing database instead of creating an empty one. */
export function requireDatabase(tool: string, databaseUrl: string): void {
  if (databaseUrl !== ':memory:' && !isPostgresUrl(databaseUrl))
    requireReadableFile(tool, databaseUrl, 'the database (DATABASE_URL)');
}

export function progressLine(label: string, done: number, total: number, elapsedMs: number): void {
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  const percent = total > 0 ? ((done / total) * 100).toFixed(1) : '100.0';
  process.stderr.write(`${label}: ${done}/${total} events (${percent}%), ${rate} events/s\n`);
}
