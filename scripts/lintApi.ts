import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli';
import { servedOpenApiDocument } from './servedDocument';

/**
 * `npm run lint:api [-- redocly lint options]`: lints the OpenAPI document the app serves at /docs/json with
 * Redocly CLI's `recommended` rules and the project's redocly.yaml. Exits with Redocly's code: non-zero on
 * an error. The document comes from the app itself, built on an in-memory database, so what is linted is
 * what the routes' schemas generate.
 */

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs Redocly's own bin with this Node: no shell, no download, nothing but the installed package. */
function redoclyLint(file: string, options: string[]): Promise<number> {
  const bin = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
    'bin',
    'cli.js',
  );
  const args = [bin, 'lint', '--extends=recommended', `--config=${path.join(ROOT, 'redocly.yaml')}`, ...options, file];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: path.dirname(file),
      // Offline and quiet: no usage data sent, no update check.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

runCli('lint:api', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, `${JSON.stringify(await servedOpenApiDocument(), null, 2)}\n`);
    process.exitCode = await redoclyLint(file, process.argv.slice(2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
