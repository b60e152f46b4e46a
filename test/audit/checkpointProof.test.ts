import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';

let dir: string;
let database: string;
let checkpointFile: string;
let forgedFile: string;
let exportFile: string;
let publicKeyFile: string;
let checkpoint: { position: number; hash: string };
/** A folder with no database and no key in it: an auditor's machine. */
let elsewhere: string;

const audit = (env: Record<string, string>, ...args: string[]) => runTs('scripts/audit.ts', ['verify', ...args], env);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-proof-'));
  database = path.join(dir, 'server', 'dialogue.sqlite');
  const t = await createTestApp({ databaseUrl: database });
  await t.token('delegate', 'europol');
  const auditor = await t.token('auditor');
  const key = await t.app.inject({ method: 'GET', url: '/audit/public-key', headers: t.auth(auditor) });
  await t.close();
  publicKeyFile = path.join(dir, 'key.pem');
  writeFileSync(publicKeyFile, key.body);

  const made = await runTs('scripts/audit.ts', ['checkpoint'], { DATABASE_URL: database });
  checkpointFile = path.join(dir, 'cp.json');
  writeFileSync(checkpointFile, made.stdout);
  checkpoint = JSON.parse(made.stdout) as { position: number; hash: string };
  forgedFile = path.join(dir, 'forged.json');
  writeFileSync(forgedFile, JSON.stringify({ ...checkpoint, signature: randomBytes(64).toString('base64') }));
  exportFile = path.join(dir, 'log.ndjson');
  writeFileSync(exportFile, (await runTs('scripts/audit.ts', ['export'], { DATABASE_URL: database })).stdout);
  elsewhere = path.join(dir, 'auditor');
  mkdirSync(elsewhere);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit verify --checkpoint', () => {
  it('fails without a key, saying how to get one, instead of passing a checkpoint whose signature nobody checked', async () => {
    const offline = { DATABASE_URL: path.join(elsewhere, 'none.sqlite') };
    for (const file of [forgedFile, checkpointFile]) {
      const result = await audit(offline, '--checkpoint', file, '--file', exportFile);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `the checkpoint's signature cannot be checked: no public key (no --public-key, and no server key at ${path.join(elsewhere, 'signing-key.pem')})`,
      );
      expect(result.stderr).toContain('/audit/public-key > key.pem');
      expect(result.stderr).toContain('--public-key key.pem');
    }
    const memory = await audit({ DATABASE_URL: ':memory:' }, '--checkpoint', checkpointFile, '--file', exportFile);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('DATABASE_URL is :memory:, so no server key file');
  });

  it('refuses a forged signature, with the key given and with the key found next to the database', async () => {
    const given = await audit(
      { DATABASE_URL: ':memory:' },
      '--checkpoint',
      forgedFile,
      '--file',
      exportFile,
      '--public-key',
      publicKeyFile,
    );
    expect(given.code).toBe(1);
    expect(given.stdout).toBe(`the checkpoint's signature does not verify with the public key ${publicKeyFile}\n`);
    const found = await audit({ DATABASE_URL: database }, '--checkpoint', forgedFile);
    expect(found.code).toBe(1);
    expect(found.stdout).toBe(
      `the checkpoint's signature does not verify with the server's key ${path.join(dir, 'server', 'signing-key.pem')}\n`,
    );
  });

  it('proves a good checkpoint on an export with the public key from GET /audit/public-key, naming the key', async () => {
    const result = await audit(
      { DATABASE_URL: path.join(elsewhere, 'none.sqlite') },
      '--checkpoint',
      checkpointFile,
      '--file',
      exportFile,
      '--public-key',
      publicKeyFile,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `ok: the checkpoint's signature verifies with the public key ${publicKeyFile}, and the export ${exportFile} holds checkpoint ${checkpoint.position} (hash ${checkpoint.hash}) unchanged\n`,
    );
  });

  it("proves a good checkpoint on the log with the server's key found next to the database", async () => {
    const result = await audit({ DATABASE_URL: database }, '--checkpoint', checkpointFile);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `ok: the checkpoint's signature verifies with the server's key ${path.join(dir, 'server', 'signing-key.pem')}, and the log holds checkpoint ${checkpoint.position} (hash ${checkpoint.hash}) unchanged\n`,
    );
  });

  it('refuses a key file that is not an Ed25519 key', async () => {
    const result = await audit(
      { DATABASE_URL: ':memory:' },
      '--checkpoint',
      checkpointFile,
      '--file',
      exportFile,
      '--public-key',
      exportFile,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `audit: ${exportFile} is not an Ed25519 key in PEM (what GET /audit/public-key serves)\n`,
    );
  });
});
