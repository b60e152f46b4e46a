import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runTs } from '../support/cli';

let dir: string;
let missingDatabase: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-inputs-'));
  missingDatabase = path.join(dir, 'none.sqlite');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, nothing on stdout, and the exit code: never a stack trace. */
function expectOneLine(result: CliResult, code: number, line: string): void {
  expect(result.stderr).toBe(`${line}\n`);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(code);
}

describe('a missing or unreadable input file', () => {
  it('is one line naming it and exit code 2 for audit verify --file, --checkpoint and --public-key', async () => {
    const env = { DATABASE_URL: ':memory:' };
    const log = path.join(dir, 'log.ndjson');
    expectOneLine(
      await runTs('scripts/audit.ts', ['verify', '--file', log], env),
      2,
      `audit: cannot read the export ${log}: no such file`,
    );
    const checkpoint = path.join(dir, 'cp.json');
    expectOneLine(
      await runTs('scripts/audit.ts', ['verify', '--checkpoint', checkpoint], env),
      2,
      `audit: cannot read the checkpoint ${checkpoint}: no such file`,
    );
    writeFileSync(
      checkpoint,
      JSON.stringify({ position: 0, hash: '0'.repeat(64), recordedAt: new Date(0).toISOString(), signature: 'AA==' }),
    );
    const key = path.join(dir, 'key.pem');
    expectOneLine(
      await runTs('scripts/audit.ts', ['verify', '--checkpoint', checkpoint, '--public-key', key], env),
      2,
      `audit: cannot read the public key ${key}: no such file`,
    );
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expectOneLine(
      await runTs('scripts/audit.ts', ['verify', '--file', folder], env),
      2,
      `audit: cannot read the export ${folder}: not a file`,
    );
  }, 60_000); // five CLI processes, one after another: slow on a loaded machine

  it('is one line and exit code 2 for a missing database, which the tools that read it do not create', async () => {
    const env = { DATABASE_URL: missingDatabase };
    const line = (tool: string) => `${tool}: cannot read the database (DATABASE_URL) ${missingDatabase}: no such file`;
    expectOneLine(await runTs('scripts/audit.ts', ['verify'], env), 2, line('audit'));
    expectOneLine(await runTs('scripts/audit.ts', ['export'], env), 2, line('audit'));
    expectOneLine(await runTs('scripts/audit.ts', ['replay', '--until', '1'], env), 2, line('audit'));
    expectOneLine(await runTs('scripts/rebuild.ts', [], env), 2, line('rebuild'));
    expectOneLine(await runTs('scripts/backup.ts', [path.join(dir, 'copy.sqlite')], env), 2, line('backup'));
    expect(existsSync(missingDatabase)).toBe(false);
  });

  it('is one line and a non-zero exit for a database the token tool cannot create', async () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    const result = await runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'A'], {
      DATABASE_URL: path.join(file, 'd.sqlite'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^token: .*plain-file.*\n$/);
  });
});
