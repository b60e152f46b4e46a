import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it } from 'vitest';
import { verifyEvents } from '../../src/audit/verify';
import { EventReader } from '../../src/eventStore/read';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';
import { client } from '../proposals/support';

it('takes an online backup under write load: one self-contained file that passes integrity and chain checks and is a prefix of the live log', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-backup-'));
  const databaseUrl = path.join(dir, 'live.sqlite');
  const t = await createTestApp({ databaseUrl, env: { RATE_LIMIT_MAX: '1000000' } });
  const api = client(t);
  const europol = await t.token('delegate', 'europol');
  const proposal = await api.submit(europol, 'strategic');
  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing) {
      await api.post(europol, `/proposals/${proposal}/comments`, { body: `comment ${written} ${'x'.repeat(500)}` });
      written += 1;
    }
  })();
  while (written < 50) await new Promise((resolve) => setTimeout(resolve, 10));

  const target = path.join(dir, 'copy.sqlite');
  const result = await runTs('scripts/backup.ts', [target], { DATABASE_URL: databaseUrl });
  const writtenDuringBackup = written;
  writing = false;
  await writer;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/integrity ok, chain ok/);
  expect(writtenDuringBackup).toBeGreaterThan(50);
  // One file, nothing beside it (no -wal, no -shm, no .partial), even once opened.
  const copyFiles = () => readdirSync(dir).filter((name) => name.startsWith('copy.sqlite'));
  expect(copyFiles()).toEqual(['copy.sqlite']);

  const copy = new BetterSqlite3(target, { readonly: true });
  expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  const copied = verifyEvents(new EventReader(copy).iterate());
  expect(copied.ok).toBe(true);
  const live = t.runtime.store.reader;
  expect(live.head().position).toBeGreaterThanOrEqual(copied.head.position);
  const [sameEvent] = [...live.iterate(copied.head.position - 1, copied.head.position)];
  expect(sameEvent?.hash).toBe(copied.head.hash);
  copy.close();
  expect(copyFiles()).toEqual(['copy.sqlite']);

  expect((await runTs('scripts/backup.ts', [target], { DATABASE_URL: databaseUrl })).code).not.toBe(0);
  await t.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);
