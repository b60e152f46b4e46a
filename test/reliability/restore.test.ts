import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';
import { freePort, startServer, stopServer } from '../support/server';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function scratch(): { dir: string; live: string; env: { DATABASE_URL: string } } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-restore-'));
  dirs.push(dir);
  const live = path.join(dir, 'live.sqlite');
  return { dir, live, env: { DATABASE_URL: live } };
}

const token = (env: Record<string, string>, ...args: string[]) => runTs('scripts/token.ts', args, env);
const backup = (env: Record<string, string>, file: string) => runTs('scripts/backup.ts', [file], env);
const restore = (env: Record<string, string>, ...args: string[]) => runTs('scripts/restore.ts', args, env);

function head(file: string): number {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare('SELECT MAX(position) AS p FROM events').get() as { p: number }).p;
  } finally {
    sqlite.close();
  }
}

/** A live database holding one delegate's token, and a backup of it. */
async function givenBackup() {
  const given = scratch();
  const issued = await token(given.env, '--role', 'delegate', '--entity', 'europol', '--name', 'Europol delegate');
  const file = path.join(given.dir, 'backup.sqlite');
  expect((await backup(given.env, file)).code).toBe(0);
  return { ...given, file, tokenId: /token id (\S+)/.exec(issued.stderr)?.[1] ?? '' };
}

/** Starts the real server on the database (start-up guards included), then stops it. */
async function serverStarts(databaseUrl: string): Promise<void> {
  const server = await startServer(databaseUrl, await freePort());
  await stopServer(server);
}

describe('npm run restore', () => {
  it('puts a good backup in place, moves the live database aside, lists the revocations it undoes, and the server starts on it', async () => {
    const { dir, live, env, file, tokenId } = await givenBackup();
    expect((await token(env, '--revoke', tokenId)).code).toBe(0);
    expect((await token(env, '--role', 'auditor', '--name', 'Issued after the backup')).code).toBe(0);
    const [backupHead, liveHead] = [head(file), head(live)];

    const result = await restore(env, file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `the restore takes back ${liveHead - backupHead} events of the live log (positions ${backupHead + 1}-${liveHead})`,
    );
    expect(result.stdout).toContain(`the backup is a prefix of the live log (the same hash at position ${backupHead})`);
    const aside = readdirSync(dir).find((name) => name.startsWith('live.sqlite.before-restore-'));
    expect(aside).toMatch(/^live\.sqlite\.before-restore-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
    const kept = new BetterSqlite3(path.join(dir, aside as string), { readonly: true });
    const revokedAt = (
      kept.prepare("SELECT recorded_at FROM events WHERE type = 'TokenRevoked'").get() as { recorded_at: string }
    ).recorded_at;
    kept.close();
    expect(result.stdout).toContain('1 token revoked after the backup comes back to life');
    expect(result.stdout).toContain(
      `${tokenId}  Europol delegate (delegate of europol), revoked ${revokedAt}:  npm run --silent token -- --revoke ${tokenId}`,
    );
    expect(result.stdout).not.toContain('Issued after the backup');
    expect(head(path.join(dir, aside as string))).toBe(liveHead);

    // One file in place, in WAL mode, holding the backup; nothing staged left behind.
    expect(
      readdirSync(dir)
        .filter((name) => name.startsWith('live.sqlite') && !name.includes('before-restore'))
        .sort(),
    ).toEqual(['live.sqlite']);
    const restored = new BetterSqlite3(live, { readonly: true });
    expect(restored.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(restored.prepare('SELECT revoked_at FROM tokens WHERE token_id = ?').get(tokenId)).toEqual({
      revoked_at: null,
    });
    restored.close();
    expect(head(live)).toBe(backupHead);

    await serverStarts(live);
    const verified = await runTs('scripts/audit.ts', ['verify'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^ok: \\d+ events, head position ${backupHead}`));
    expect((await token(env, '--revoke', tokenId)).code).toBe(0);
  }, 90_000);

  it('refuses a backup older than the latest signed checkpoint unless --force, which moves the checkpoint folder aside', async () => {
    const { dir, live, env } = scratch();
    const t = await createTestApp({ databaseUrl: live, env: { CHECKPOINT_EVERY_EVENTS: '1' } });
    await t.token('delegate', 'europol');
    const file = path.join(dir, 'backup.sqlite');
    expect((await backup(env, file)).code).toBe(0);
    await t.token('delegate', 'afripol');
    await new Promise((resolve) => setImmediate(resolve));
    await t.close();
    const liveHead = head(live);

    const refused = await restore(env, file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the backup does not hold the latest signed checkpoint .*latest\.json.*: the log ends at position \d+, before the signed checkpoint/,
    );
    expect(refused.stderr).toMatch(/--force/);
    expect(readdirSync(dir).filter((name) => name.includes('restore'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'checkpoints'))).toContain('latest.json');
    expect(head(live)).toBe(liveHead);

    const forced = await restore(env, file, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const movedTo = readdirSync(dir).find((name) => name.startsWith('checkpoints.before-restore-'));
    expect(movedTo).toMatch(/^checkpoints\.before-restore-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
    expect(forced.stdout).toContain(
      `the checkpoint folder ${path.join(dir, 'checkpoints')} was moved aside to ${path.join(dir, movedTo as string)}`,
    );
    expect(readdirSync(path.join(dir, movedTo as string))).toContain('latest.json');
    expect(existsSync(path.join(dir, 'checkpoints'))).toBe(false);
    expect(head(live)).toBe(head(file));
    await serverStarts(live);
  }, 90_000);

  it('refuses a backup whose chain is broken, or that is no database, and leaves the live database as it was', async () => {
    const { dir, live, env, file } = await givenBackup();
    const broken = path.join(dir, 'broken.sqlite');
    copyFileSync(file, broken);
    const sqlite = new BetterSqlite3(broken);
    sqlite.exec('DROP TRIGGER events_refuse_update');
    const at = head(file);
    sqlite.prepare("UPDATE events SET data = replace(data, 'europol', 'interpol') WHERE position = ?").run(at);
    sqlite.close();
    const garbage = path.join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database '.repeat(400));
    const before = readdirSync(dir).sort();

    const chain = await restore(env, broken);
    expect(chain.code).toBe(1);
    expect(chain.stderr).toMatch(
      new RegExp(`is not a usable backup: its chain is broken at position ${at}.*nothing restored`),
    );
    const notDatabase = await restore(env, garbage);
    expect(notDatabase.code).toBe(1);
    expect(notDatabase.stderr).toMatch(/is not a usable backup: it is not a readable database of this service/);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(head(live)).toBe(at);
  }, 60_000);

  it('restores over a live database that SQLite cannot read, keeping it aside as it was', async () => {
    const { dir, live, env, file } = await givenBackup();
    const ruined = 'ruined by a disk fault '.repeat(200);
    writeFileSync(live, ruined);
    const result = await restore(env, file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /the live database cannot be read \(file is not a database\): it is moved aside as it is/,
    );
    const aside = readdirSync(dir).find((name) => name.startsWith('live.sqlite.before-restore-'));
    expect(readFileSync(path.join(dir, aside as string), 'utf8')).toBe(ruined);
    expect(head(live)).toBe(head(file));
  }, 60_000);

  it('refuses while the server has the live database open', async () => {
    const { dir, live, env, file } = await givenBackup();
    const server = await startServer(live, await freePort());
    try {
      const result = await restore(env, file);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${live} is open in another process (is the server running? stop it first); nothing restored`,
      );
      expect(readdirSync(dir).filter((name) => name.includes('restore'))).toEqual([]);
    } finally {
      await stopServer(server);
    }
  }, 60_000);

  it('answers a missing backup file and a :memory: database with one line and exit code 2', async () => {
    const { dir, env } = scratch();
    const missing = await restore(env, path.join(dir, 'nope.sqlite'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`restore: cannot read the backup ${path.join(dir, 'nope.sqlite')}: no such file\n`);
    const memory = await restore({ DATABASE_URL: ':memory:' }, path.join(dir, 'nope.sqlite'));
    expect(memory.code).toBe(2);
    expect(memory.stderr).toBe('restore: DATABASE_URL is :memory:, there is no database file to restore into\n');
  });
});
