import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/tokens/tokens';
import { runTs } from '../support/cli';

const env = () => ({ DATABASE_URL: path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-tok-')), 'd.sqlite') });

describe('token CLI', () => {
  it('prints a new token alone on stdout and records only its hash, as an event', async () => {
    const e = env();
    const result = await runTs(
      'scripts/token.ts',
      ['--role', 'delegate', '--entity', 'europol', '--name', 'Europol delegate'],
      e,
    );
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    expect(token).toMatch(/^dlg_[A-Za-z0-9_-]{43}$/);
    const sqlite = new BetterSqlite3(e.DATABASE_URL, { readonly: true });
    const log = (sqlite.prepare('SELECT data FROM events').all() as Array<{ data: string }>)
      .map((r) => r.data)
      .join('\n');
    expect(log).not.toContain(token);
    expect(log).toContain(hashToken(token));
    expect(sqlite.prepare('SELECT role, entity_id, person FROM tokens').get()).toEqual({
      role: 'delegate',
      entity_id: 'europol',
      person: 'Europol delegate',
    });
    sqlite.close();
  });

  it('prints a sign-in link with the token on stderr, on HOST and PORT, while stdout stays the token alone', async () => {
    const result = await runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'Aud'], {
      ...env(),
      HOST: '0.0.0.0',
      PORT: '4711',
      PUBLIC_URL: '',
    });
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    expect(token).toMatch(/^dlg_[A-Za-z0-9_-]{43}$/);
    // A wildcard HOST is no address for a browser: the link names loopback.
    expect(result.stderr).toContain(`sign in: http://127.0.0.1:4711/app/#token=${token}\n`);
    expect(result.stderr.match(/#token=/g)).toHaveLength(1);
  });

  it('starts the sign-in link with PUBLIC_URL when it is set, keeping its path', async () => {
    const result = await runTs(
      'scripts/token.ts',
      ['--role', 'delegate', '--entity', 'europol', '--name', 'Europol delegate'],
      {
        ...env(),
        PUBLIC_URL: 'https://dialogue.example.org/eu',
      },
    );
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    expect(result.stderr).toContain(`sign in: https://dialogue.example.org/eu/app/#token=${token}\n`);
    expect(result.stderr).not.toContain('127.0.0.1');
  });

  it('refuses an unknown entity, a bad role and a delegate without entity with a message and a non-zero exit', async () => {
    const e = env();
    const unknown = await runTs('scripts/token.ts', ['--role', 'delegate', '--entity', 'atlantis', '--name', 'X'], e);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown entity 'atlantis'/);
    const role = await runTs('scripts/token.ts', ['--role', 'king', '--name', 'X'], e);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toMatch(/unknown role 'king'/);
    const noEntity = await runTs('scripts/token.ts', ['--role', 'delegate', '--name', 'X'], e);
    expect(noEntity.code).not.toBe(0);
    expect(noEntity.stderr).toMatch(/--entity/);
  });

  it('refuses --entity for secretariat and auditor tokens, and a --name a title could not hold, with exit code 2 and nothing recorded', async () => {
    const e = env();
    for (const role of ['secretariat', 'auditor']) {
      const result = await runTs('scripts/token.ts', ['--role', role, '--entity', 'sco', '--name', 'Overseer'], e);
      expect(result.code, role).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`a ${role} token acts for the Dialogue, not for an entity: leave out --entity`);
    }
    const name = await runTs(
      'scripts/token.ts',
      ['--role', 'delegate', '--entity', 'europol', '--name', 'Ann\u202Eenile'],
      e,
    );
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('--name must not contain the bidirectional control U+202E (character 4)');
    const sqlite = new BetterSqlite3(e.DATABASE_URL, { readonly: true });
    expect(sqlite.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'TokenIssued'").get()).toEqual({ n: 0 });
    sqlite.close();
  });

  it('revokes a token by id, as an event', async () => {
    const e = env();
    const issued = await runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'Aud'], e);
    const tokenId = /token id (\S+)/.exec(issued.stderr)?.[1] ?? '';
    const revoked = await runTs('scripts/token.ts', ['--revoke', tokenId], e);
    expect(revoked.code).toBe(0);
    const again = await runTs('scripts/token.ts', ['--revoke', tokenId], e);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already revoked/);
    const sqlite = new BetterSqlite3(e.DATABASE_URL, { readonly: true });
    expect(sqlite.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'TokenRevoked'").get()).toEqual({ n: 1 });
    sqlite.close();
  });
});
