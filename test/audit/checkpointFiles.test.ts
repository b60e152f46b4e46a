import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { checkpointSignatureValid } from '../../src/audit/checkpoint';
import { createTestApp } from '../support/app';
import { client } from '../proposals/support';

it('writes a signed checkpoint file outside the database every N events', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-cp-'));
  const t = await createTestApp({ env: { CHECKPOINT_DIR: dir, CHECKPOINT_EVERY_EVENTS: '3' } });
  const api = client(t);
  const europol = await t.token('delegate', 'europol');
  for (let i = 0; i < 3; i += 1) await api.submit(europol, 'strategic');
  await new Promise((resolve) => setImmediate(resolve));
  expect(existsSync(path.join(dir, 'latest.json'))).toBe(true);
  const latest = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'));
  // Written when the count since the last one reached 3: at most 2 events behind the head.
  expect(latest.position).toBeGreaterThan(t.runtime.store.reader.head().position - 3);
  const [event] = [...t.runtime.store.reader.iterate(latest.position - 1, latest.position)];
  expect(latest.hash).toBe(event?.hash);
  const publicKey = (await api.get(europol, '/audit/public-key')).body;
  expect(checkpointSignatureValid(latest, publicKey)).toBe(true);
  expect(readdirSync(dir).filter((name) => name.startsWith('checkpoint-')).length).toBeGreaterThanOrEqual(1);
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});
