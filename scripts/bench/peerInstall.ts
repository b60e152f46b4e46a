import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, log } from './lib';

/**
 * The peers (@event-driven-io/emmett-sqlite and sqlite3, which compiles from source;
 * @event-driven-io/emmett-postgresql) are small packages of their own, installed on first use: `npm ci &&
 * npm test` never waits for a native build only the benchmark needs, and neither is a dependency of the
 * project.
 */
const PEERS = {
  sqlite: {
    dir: path.join(BENCH_DIR, 'peer'),
    what: 'the peer (emmett-sqlite 0.38.5 and sqlite3, compiled from source)',
    takes: 'once, about 1.5-2 minutes',
  },
  postgres: {
    dir: path.join(BENCH_DIR, 'peer-postgres'),
    what: 'the PostgreSQL peer (emmett-postgresql 0.42.0, no native build)',
    takes: 'once, a few seconds',
  },
} as const;

export type PeerName = keyof typeof PEERS;

/** Written after a successful install: the lock file it installed, so a changed lock installs again. */
const stampOf = (dir: string) => path.join(dir, 'node_modules', '.installed-lock-sha256');

function lockHash(dir: string): string {
  return createHash('sha256')
    .update(readFileSync(path.join(dir, 'package-lock.json')))
    .digest('hex');
}

/** Installs a peer's locked packages unless they are already installed from the same lock file. */
export function ensurePeerInstalled(name: PeerName = 'sqlite'): void {
  const peer = PEERS[name];
  const stamp = stampOf(peer.dir);
  const wanted = lockHash(peer.dir);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) return;
  log(`installing ${peer.what} into ${path.relative(process.cwd(), peer.dir)}/node_modules: ${peer.takes}`);
  const started = performance.now();
  // npm's own output goes to stderr: a scenario's stdout carries its result.
  const npm = spawnSync('npm', ['ci', '--prefix', peer.dir, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (npm.status !== 0)
    throw new Error(
      `installing the peer failed (npm ci --prefix ${peer.dir}: ${npm.error?.message ?? `exit ${npm.status}`})`,
    );
  writeFileSync(stamp, `${wanted}\n`);
  log(`peer installed in ${Math.round((performance.now() - started) / 1000)} s`);
}

/** The peer's API, from its own install (installing it first if needed). */
export async function loadPeer(): Promise<typeof import('./peer/emmettSqlite.js')> {
  ensurePeerInstalled('sqlite');
  return import('./peer/emmettSqlite.js');
}

/** The PostgreSQL peer's API, from its own install (installing it first if needed). */
export async function loadPostgresPeer(): Promise<typeof import('./peer-postgres/emmettPostgres.js')> {
  ensurePeerInstalled('postgres');
  return import('./peer-postgres/emmettPostgres.js');
}
