import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, DATA_DIR, log, ROOT, runTs } from './lib';

/**
 * A generated log, kept in bench/data between runs. Its name carries a digest of what shapes it (the
 * generator, the benchmark's events, the registered projections and the migrations), so a change to any of them generates it again.
 */
export async function generatedLog(events: number, groups: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(ROOT, 'scripts', 'generate-log.ts')))
    .update(readFileSync(path.join(BENCH_DIR, 'domain.ts')))
    // The projections registered there fill the views the file carries.
    .update(readFileSync(path.join(ROOT, 'src', 'runtime.ts')));
  const migrations = path.join(ROOT, 'migrations');
  // Both dialects' folders (migrations/postgres/ too): a file at any depth.
  for (const name of readdirSync(migrations, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(migrations, name);
    if (statSync(file).isFile()) hash.update(name).update(readFileSync(file));
  }
  const digest = hash.digest('hex').slice(0, 10);
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, `log-${events}-${groups.join('+')}-${digest}.sqlite`);
  if (existsSync(file)) return file;
  // Logs of the same size made by older code are stale: drop them rather than let them pile up.
  const stem = `log-${events}-${groups.join('+')}-`;
  for (const name of readdirSync(DATA_DIR))
    if (name.startsWith(stem)) rmSync(path.join(DATA_DIR, name), { force: true });
  const partial = `${file}.partial`;
  log(`generating a ${events}-event log (kept in ${path.relative(ROOT, DATA_DIR)} for later runs)`);
  const started = performance.now();
  await runTs(path.join(ROOT, 'scripts', 'generate-log.ts'), [
    '--events',
    String(events),
    '--file',
    partial,
    '--groups',
    groups.join(','),
    '--force',
  ]);
  for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  renameSync(partial, file);
  log(`generated in ${Math.round((performance.now() - started) / 1000)} s`);
  return file;
}
