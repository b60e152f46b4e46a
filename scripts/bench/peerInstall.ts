import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, log } from './lib';

/**
 * The peer (@event-driven-io/emmett-sqlite and sqlite3, which compiles from source) is its own small
 * package, installed on first use: `npm ci && npm test` never waits for a native build only the benchmark
 * needs.
 */
const PEER_DIR = path.join(BENCH_DIR, 'peer');
/** Written after a successful install: the lock file it installed, so a changed lock installs again. */
const STAMP = path.join(PEER_DIR, 'node_modules', '.installed-lock-sha256');

function lockHash(): string {
  return createHash('sha256')
    .update(readFileSync(path.join(PEER_DIR, 'package-lock.json')))
    .digest('hex');
}

/** Installs the peer's locked packages unless they are already installed from the same lock file. */
export function ensurePeerInstalled(): void {
  const wanted = lockHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === wanted) return;
  log(
    `installing the peer (emmett-sqlite 0.38.5 and sqlite3, compiled from source) into ${path.relative(process.cwd(), PEER_DIR)}/node_modules: ` +
      'once, about 1.5-2 minutes',
  );
  const started = performance.now();
  // npm's own output goes to stderr: a scenario's stdout carries its result.
  const npm = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (npm.status !== 0)
    throw new Error(
      `installing the peer failed (npm ci --prefix ${PEER_DIR}: ${npm.error?.message ?? `exit ${npm.status}`})`,
    );
  writeFileSync(STAMP, `${wanted}\n`);
  log(`peer installed in ${Math.round((performance.now() - started) / 1000)} s`);
}

/** The peer's API, from its own install (installing it first if needed). */
export async function loadPeer(): Promise<typeof import('./peer/emmettSqlite.js')> {
  ensurePeerInstalled();
  return import('./peer/emmettSqlite.js');
}
