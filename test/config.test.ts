import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { runTs } from './support/cli';

describe('configuration', () => {
  it('takes TRUST_PROXY as proxy addresses and CIDR ranges; unset trusts no proxy', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1, fd00::/8,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses a TRUST_PROXY of true or a hop count, with which any client could choose the address the limits count', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: .*not true, not a hop count/);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1, proxy.internal' })).toThrow(/TRUST_PROXY: .*proxy\.internal/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  it('takes PUBLIC_URL as an http(s) URL and ALLOWED_ORIGINS as origins, normalised', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://Dialogue.Example:443/app/' }).PUBLIC_URL).toBe(
      'https://dialogue.example/app/',
    );
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://A.example:443, http://b.example:8080/' }).ALLOWED_ORIGINS).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
  });

  it('refuses a PUBLIC_URL or an ALLOWED_ORIGINS entry that is not an http(s) origin, naming the variable', () => {
    for (const bad of [
      'dialogue.example',
      'ftp://dialogue.example',
      'https://dialogue.example/?x=1',
      'https://user:secret@dialogue.example',
    ]) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: /);
    }
    expect(() => loadConfig({ PUBLIC_URL: 'https://user:secret@dialogue.example' })).not.toThrow(/secret/);
    for (const bad of ['dialogue.example', 'https://dialogue.example/app', 'null']) {
      expect(() => loadConfig({ ALLOWED_ORIGINS: bad }), bad).toThrow(/ALLOWED_ORIGINS: /);
    }
  });

  it('takes DATABASE_URL as a PostgreSQL URL, a file path or :memory:, and refuses any other scheme by name', () => {
    for (const good of [':memory:', './data/dialogue.sqlite', '/var/lib/dialogue.sqlite', 'dialogue.sqlite']) {
      expect(loadConfig({ DATABASE_URL: good }).DATABASE_URL).toBe(good);
    }
    for (const good of ['postgres://dialogue:secret@db:5432/dialogue', 'postgresql://db/dialogue?sslmode=require']) {
      expect(loadConfig({ DATABASE_URL: good }).DATABASE_URL).toBe(good);
    }
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@db/dialogue' })).toThrow(
      /DATABASE_URL: the scheme "mysql:" is not supported: give postgres:\/\/user:password@host:5432\/database/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@db/dialogue' })).not.toThrow(/secret/);
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:dialogue.db' })).toThrow(
      /the scheme "sqlite:" is not supported.*\(a file whose name holds a colon: \.\/sqlite:dialogue\.db\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres:dialogue' })).toThrow(
      /DATABASE_URL: give PostgreSQL as postgres:\/\//,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres:///dialogue' })).toThrow(/give PostgreSQL as/);
  });

  it('stops the server and every command-line tool on an unsupported DATABASE_URL scheme, creating nothing', async () => {
    const env = { DATABASE_URL: 'mysql://db:3306/dialogue', PORT: '0' };
    const runs = await Promise.all([
      runTs('src/server.ts', [], env),
      ...[
        ['scripts/audit.ts', 'verify'],
        ['scripts/backup.ts', '/tmp/never.sqlite'],
        ['scripts/restore.ts', '/tmp/never.sqlite'],
        ['scripts/rebuild.ts'],
        ['scripts/token.ts', '--role', 'auditor', '--name', 'Audit'],
        ['scripts/demo.ts'],
      ].map(([script, ...args]) => runTs(script as string, args, env)),
    ]);
    for (const result of runs) {
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(/DATABASE_URL: the scheme "mysql:" is not supported/);
    }
    expect(existsSync(path.resolve(import.meta.dirname, '..', 'mysql:'))).toBe(false);
  }, 60_000);

  it('stops the server at start on a bad value, naming it', async () => {
    const result = await runTs('src/server.ts', [], {
      DATABASE_URL: ':memory:',
      PORT: '0',
      PUBLIC_URL: 'dialogue.example',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot start: invalid configuration: PUBLIC_URL: 'dialogue\.example' is not a URL/);
  }, 30_000);
});
