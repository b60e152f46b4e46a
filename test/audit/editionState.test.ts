import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app';
import { runTs } from '../support/cli';
import { client } from '../proposals/support';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('time travel over editions', () => {
  it('shows each edition and its declaration as they were, by position, over HTTP and in audit -- replay', async () => {
    const databaseUrl = path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-editions-')), 'd.sqlite');
    const t = await createTestApp({ databaseUrl });
    const api = client(t);
    const [auditor, secretariat, europol] = await Promise.all([
      t.token('auditor'),
      t.token('secretariat'),
      t.token('delegate', 'europol'),
    ]);
    const proposal = await api.submit(europol, 'strategic', { visibility: 'members' });
    const edition = { number: 9, title: 'Ninth Dialogue', startsOn: '2026-05-12', endsOn: '2026-05-14', venue: 'Lyon' };
    const id: string = (await api.post(secretariat, '/editions', edition)).json().id;
    await api.post(secretariat, `/editions/${id}/agenda`, { proposalId: proposal });
    await api.post(secretariat, `/editions/${id}/attendance`, { entityId: 'europol', delegates: ['A'] });
    const drafted = (await api.post(secretariat, `/editions/${id}/declaration`, {})).json();
    const live = async () => ({
      position: t.runtime.store.reader.head().position,
      edition: (await api.get(auditor, `/editions/${id}`)).json(),
      declaration: (await api.get(auditor, `/editions/${id}/declaration`)).json(),
    });
    const before = await live();
    await api.post(secretariat, `/editions/${id}/declaration/paragraphs`, {
      text: 'A paragraph added later.',
      expectedVersion: drafted.version,
    });
    await api.post(secretariat, `/editions/${id}/attendance`, { entityId: 'afripol', delegates: ['B'] });
    const after = await live();
    expect(after.declaration.paragraphs).toHaveLength(1);

    for (const moment of [before, after]) {
      const res = await api.get(auditor, `/audit/state?at=${moment.position}&group=strategic`);
      expect(res.statusCode).toBe(200);
      expect(res.json().editions).toEqual([{ edition: moment.edition, declaration: moment.declaration }]);
    }
    const beforeAny = await api.get(auditor, `/audit/state?at=${before.position - 5}&group=strategic`);
    expect(beforeAny.json().editions).toEqual([]);
    await t.close();

    const replay = await runTs('scripts/audit.ts', ['replay', '--until', String(before.position)], {
      DATABASE_URL: databaseUrl,
    });
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = JSON.parse(replay.stdout);
    expect(replayed.position).toBe(before.position);
    expect(replayed.groups.map((group: { group: string }) => group.group)).toEqual(['strategic', 'operational']);
    expect(replayed.editions).toEqual([{ edition: before.edition, declaration: before.declaration }]);
  }, 60_000);
});
