import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, 'redocly.yaml');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string }>;
}

function parseReport(stdout: string): LintReport {
  return JSON.parse(stdout) as LintReport;
}

it("passes Redocly's recommended rules with no error and no warning left unsuppressed (npm run lint:api)", async () => {
  const result = await runTs('scripts/lintApi.ts', ['--format=json'], {});
  const report = parseReport(result.stdout);
  expect(report.problems.map(({ ruleId, message }) => `${ruleId}: ${message}`)).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  expect(result.code).toBe(0);
});

it('reports an error, exiting non-zero, on a document that breaks a recommended rule the configuration keeps', async () => {
  const t = await createTestApp();
  const document = structuredClone(t.app.swagger()) as {
    paths: Record<string, Record<string, { summary?: string; security?: unknown }>>;
  };
  await t.close();
  const health = document.paths['/health']?.get;
  delete health?.summary;
  if (health) health.security = [{ undeclaredScheme: [] }];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-openapi-lint-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const bin = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
      'bin',
      'cli.js',
    );
    const result = spawnSync(
      process.execPath,
      [bin, 'lint', '--extends=recommended', `--config=${CONFIG}`, '--format=json', file],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
      },
    );
    const report = parseReport(result.stdout);
    expect(result.status).not.toBe(0);
    const errors = report.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.ruleId);
    expect(errors).toEqual(expect.arrayContaining(['operation-summary', 'security-defined']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('gives the reason for each rule redocly.yaml changes in a comment just above it', () => {
  const lines = readFileSync(CONFIG, 'utf8').split('\n');
  const start = lines.indexOf('rules:');
  expect(start).toBeGreaterThanOrEqual(0);
  const rules = lines.slice(start + 1).filter((line) => /^\s+[\w.-]+:/.test(line));
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of rules) {
    const previous = lines[lines.indexOf(rule) - 1] ?? '';
    expect(previous.trim(), `${rule.trim()} has no reason above it`).toMatch(/^# \S.{10,}/);
  }
});
