import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildProjections, tableDefinition } from '../../../src/eventStore/projections';
import { SearchBuild } from '../../../src/proposals/search/searchBuild';
import { SearchTables } from '../../../src/proposals/search/searchTables';
import { createTestApp, type TestContext } from '../../support/app';
import { runTs } from '../../support/cli';
import { expectViewsEqualRebuild, viewSnapshot } from '../../support/views';
import { client } from '../support';

let dir: string;
let t: TestContext;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-search-build-'));
  t = await createTestApp({ databaseUrl: path.join(dir, 'd.sqlite'), env: { RATE_LIMIT_MAX: '100000' } });
  api = client(t);
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Proposals in both groups, revised, with comments whose JSON holds escapes, and search terms in all of them. */
async function deliberate(): Promise<string[]> {
  const [europol, afripol] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'afripol')]);
  const ids: string[] = [];
  for (const group of ['strategic', 'operational']) {
    for (let i = 0; i < 3; i += 1)
      ids.push(
        await api.submit(europol, group, {
          title: `Cybercrime picture ${group} ${i}`,
          body: 'Quarterly threat assessments.',
        }),
      );
  }
  const bodies = [
    'Plain agreement on biometrics.',
    'A "quoted" word and a back\\slash',
    'Ünïcödé façade — naïve café 🚓',
    'Line one\nline two\ttabbed',
    'biometrics again',
  ];
  for (const [i, id] of ids.entries()) {
    for (const body of bodies)
      expect((await api.post(afripol, `/proposals/${id}/comments`, { body: `${body} ${i}` })).statusCode).toBe(201);
  }
  const first = ids[0] as string;
  expect(
    (
      await api.post(
        europol,
        `/proposals/${first}/revisions`,
        { title: 'Shared biometric exchange standard' },
        { 'if-match': '*' },
      )
    ).statusCode,
  ).toBe(200);
  return ids;
}

/** FTS5's own check of the structure of every table of the index. */
function checkIntegrity(): void {
  const tables = new SearchTables(t.runtime.db.sqlite).all();
  expect(tables.length).toBeGreaterThan(0);
  for (const { name } of tables) t.runtime.db.sqlite.exec(`INSERT INTO ${name} (${name}) VALUES ('integrity-check')`);
}

const buildFiles = () => readdirSync(dir).filter((name) => name.includes('.search-build'));

describe('the search index built on a second thread during a rebuild', () => {
  it('is the index the transaction fills itself, token for token, and leaves no file behind', async () => {
    await deliberate();
    expectViewsEqualRebuild(t.runtime);
    expect(t.runtime.search.lastRebuild).toEqual({ thread: true });
    expect(buildFiles()).toEqual([]);
    // FTS5's own check of the index's structure, and searches that rank as before.
    checkIntegrity();
    const europol = await t.token('delegate', 'europol');
    const hits = (await api.get(europol, '/groups/strategic/proposals?q=biometric')).json().items as Array<{
      title: string;
    }>;
    expect(hits.map((hit) => hit.title)[0]).toBe('Shared biometric exchange standard');
    expect(hits).toHaveLength(3);
  });

  it('keeps taking revisions and comments after the rebuild, as the index it replaced did', async () => {
    const ids = await deliberate();
    rebuildProjections(t.runtime.db.sqlite, t.runtime.projections);
    expect(t.runtime.search.lastRebuild).toEqual({ thread: true });
    const [europol, afripol] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'afripol')]);
    const second = ids[1] as string;
    // A revision replaces the proposal's row in the copied index (a delete by rowid), a comment adds one.
    expect(
      (
        await api.post(
          europol,
          `/proposals/${second}/revisions`,
          { title: 'Maritime piracy routes' },
          { 'if-match': '*' },
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (await api.post(afripol, `/proposals/${second}/comments`, { body: 'Piracy off the coast' })).statusCode,
    ).toBe(201);
    const titles = async (q: string) =>
      ((await api.get(europol, `/groups/strategic/proposals?q=${q}`)).json().items as Array<{ title: string }>).map(
        (i) => i.title,
      );
    expect(await titles('piracy')).toEqual(['Maritime piracy routes']);
    expect(await titles('cybercrime')).not.toContain('Maritime piracy routes');
    checkIntegrity();
    expectViewsEqualRebuild(t.runtime);
  });

  it('fills on the main thread the table of a group and visibility that the build did not know of', async () => {
    await deliberate();
    const [europol, afripol] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'afripol')]);
    const secret = await api.submit(europol, 'strategic', {
      title: 'Biometric vault',
      body: 'Members only.',
      visibility: 'members',
    });
    expect((await api.post(afripol, `/proposals/${secret}/comments`, { body: 'Biometric escrow' })).statusCode).toBe(
      201,
    );
    const search = async () =>
      (await api.get(europol, '/groups/strategic/proposals?q=biometric')).json().items as Array<{
        id: string;
        score: number;
      }>;
    // Rebuilt once as usual first: a revision's earlier text counts in its table's totals until a rebuild.
    const sqlite = t.runtime.db.sqlite;
    rebuildProjections(sqlite, t.runtime.projections);
    const before = await search();
    expect(before.map((item) => item.id)).toContain(secret);
    // As if the members' table had been created after the build began: neither registered nor there.
    const table = new SearchTables(sqlite).of('strategic', 'members') as string;
    sqlite.prepare('DELETE FROM search_tables WHERE name = ?').run(table);
    sqlite.exec(`DROP TABLE ${table}`);
    rebuildProjections(sqlite, t.runtime.projections);
    expect(t.runtime.search.lastRebuild).toEqual({ thread: true });
    expect(new SearchTables(sqlite).of('strategic', 'members')).toBe(table);
    expect(await search()).toEqual(before);
    checkIntegrity();
    expectViewsEqualRebuild(t.runtime);
  });

  it('is stopped and removed when the replay fails, and the views stay as they were', async () => {
    await deliberate();
    const before = viewSnapshot(t.runtime);
    const failing = {
      name: 'failing',
      tables: [],
      apply: () => {
        throw new Error('a projection failed');
      },
    };
    expect(() => rebuildProjections(t.runtime.db.sqlite, [...t.runtime.projections, failing])).toThrow(
      'a projection failed',
    );
    expect(buildFiles()).toEqual([]);
    expect(viewSnapshot(t.runtime)).toEqual(before);
    // Nothing is left attached: the next rebuild attaches its own build again.
    expectViewsEqualRebuild(t.runtime);
    expect(t.runtime.search.lastRebuild).toEqual({ thread: true });
  });

  it('is what `npm run rebuild` does, beside a running server, which keeps its views', async () => {
    await deliberate();
    const before = viewSnapshot(t.runtime);
    const result = await runTs('scripts/rebuild.ts', [], { DATABASE_URL: path.join(dir, 'd.sqlite') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^rebuilt .* from \d+ events in \d+ ms$/m);
    expect(result.stdout).not.toContain('filled after the replay');
    expect(buildFiles()).toEqual([]);
    expect(viewSnapshot(t.runtime)).toEqual(before);
  });

  it('falls back to filling the index in the transaction when the thread fails, and says why', async () => {
    await deliberate();
    const sqlite = t.runtime.db.sqlite;
    const definitions = new Map(
      new SearchTables(sqlite).all().map((table) => [table.name, tableDefinition(sqlite, table.name) ?? '']),
    );
    const build = SearchBuild.prepare(sqlite, definitions);
    if (typeof build === 'string') throw new Error(build);
    try {
      build.start(t.runtime.store.reader.head().position, [], {
        setup: [],
        stage: ['INSERT INTO nowhere SELECT ?, ?'],
        route: [],
        clear: 'SELECT 1',
      });
      expect(build.ready()).toBe(false);
      expect(build.failure).toContain('no such table: nowhere');
    } finally {
      build.dispose();
    }
    expect(buildFiles()).toEqual([]);
    const memory = await createTestApp();
    try {
      expectViewsEqualRebuild(memory.runtime);
      expect(memory.runtime.search.lastRebuild).toEqual({ thread: false, reason: 'the database is in memory' });
    } finally {
      await memory.close();
    }
  });

  it('removes a build file left by a crashed rebuild when the database is next opened', async () => {
    const file = path.join(dir, 'd.sqlite');
    await t.close();
    writeFileSync(`${file}.search-build`, 'left by a rebuild that was killed');
    t = await createTestApp({ databaseUrl: file });
    expect(existsSync(`${file}.search-build`)).toBe(false);
  });
});
