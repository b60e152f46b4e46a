import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../support/app';
import { freshPostgresUrl, serviceRoleUrl, sql } from '../../support/postgres';
import { client } from '../support';

const opened: TestContext[] = [];
afterEach(async () => {
  for (const t of opened.splice(0).reverse()) await t.close();
});

async function instance(url: string) {
  const t = await createTestApp({ databaseUrl: url });
  opened.push(t);
  return { t, api: client(t) };
}

const ids = (res: { json(): unknown }) => (res.json() as { items: Array<{ id: string }> }).items.map((item) => item.id);

describe('search on PostgreSQL', () => {
  it('finds on another instance, at once, a text, a revision and a comment (a search follows the log first)', async () => {
    const url = await freshPostgresUrl();
    const a = await instance(url);
    const b = await instance(url);
    const europol = await a.t.token('delegate', 'europol');
    const afripol = await b.t.token('delegate', 'afripol');
    const id = await a.api.submit(europol, 'strategic', { title: 'Cybercrimes in ports', body: 'Café de la Paix.' });
    const search = async (q: string) =>
      ids(await b.api.get(afripol, `/groups/strategic/proposals?q=${encodeURIComponent(q)}`));
    // Stemmed as SQLite's Porter stems, accents removed, words only.
    expect(await search('cybercrime')).toEqual([id]);
    expect(await search('CAFE paix')).toEqual([id]);
    expect(await search('port')).toEqual([id]);
    // A revision replaces the proposal's text; a comment adds its own.
    expect(
      (
        await a.api.post(europol, `/proposals/${id}/revisions`, {
          title: 'Maritime routes',
          body: 'Gulf.',
          expectedVersion: 1,
        })
      ).statusCode,
    ).toBe(200);
    expect(await search('cybercrime')).toEqual([]);
    expect(await search('maritime')).toEqual([id]);
    expect(
      (await a.api.post(europol, `/proposals/${id}/comments`, { body: 'About e-mail fraud too.' })).statusCode,
    ).toBe(201);
    expect(await search('mail fraud')).toEqual([id]);
    const rows = await sql<{ own_text: boolean; document: string }>(
      url,
      'SELECT own_text, document::text AS document FROM proposal_search ORDER BY position',
    );
    expect(rows).toEqual([
      { own_text: true, document: "'gulf':3B 'maritim':1A 'rout':2A" },
      { own_text: false, document: "'about':1B 'e':2B 'fraud':4B 'mail':3B 'too':5B" },
    ]);
  });

  it('indexes after the append, within moments, with no search to ask for it', async () => {
    const url = await freshPostgresUrl();
    const { t, api } = await instance(url);
    const europol = await t.token('delegate', 'europol');
    await t.runtime.pgSearch?.follow();
    const position = async () =>
      Number((await sql<{ position: string }>(url, 'SELECT position FROM proposal_search_position'))[0]?.position);
    const id = await api.submit(europol, 'strategic', { title: 'Liaison officers', body: 'Abroad.' });
    const head = t.runtime.store.reader.head().position;
    await expect.poll(position, { timeout: 5_000 }).toBe(head);
    expect(await sql(url, `SELECT proposal_id FROM proposal_search WHERE document @@ 'liaison'::tsquery`)).toEqual([
      { proposal_id: id },
    ]);
  });

  it('ranks a title above a body and a comment, with scores as on SQLite (title four times a body)', async () => {
    const { t, api } = await instance(await freshPostgresUrl());
    const europol = await t.token('delegate', 'europol');
    const inBody = await api.submit(europol, 'strategic', { title: 'Patrols', body: 'Against piracy.' });
    const inTitle = await api.submit(europol, 'strategic', { title: 'Piracy', body: 'Patrols.' });
    const inComment = await api.submit(europol, 'strategic', { title: 'Routes', body: 'Gulf.' });
    await api.post(europol, `/proposals/${inComment}/comments`, { body: 'Piracy here.' });
    const res = await api.get(europol, '/groups/strategic/proposals?q=piracy');
    // A comment and a body weigh the same: of equal ranks, the newest proposal comes first.
    const items = (res.json() as { items: Array<{ id: string; score: number }> }).items;
    expect(items.map((item) => item.id)).toEqual([inTitle, inComment, inBody]);
    expect(items[0]?.score).toBeCloseTo((items[2]?.score ?? 0) * 4, 2);
  });

  it('reads query syntax of PostgreSQL (and FTS5) as words, and answers 200', async () => {
    const { t, api } = await instance(await freshPostgresUrl());
    const europol = await t.token('delegate', 'europol');
    const id = await api.submit(europol, 'strategic', { title: 'Border data', body: 'Not a drill.' });
    for (const q of [
      'border & !data',
      'border | x',
      '!border',
      'border:*',
      'border <-> data',
      "'border'",
      '(',
      '\\',
      '½',
    ]) {
      const res = await api.get(europol, `/groups/strategic/proposals?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    // `!data` is the word "data", not "without data"; `&` and `|` are no operators.
    expect(
      ids(await api.get(europol, `/groups/strategic/proposals?q=${encodeURIComponent('border & !data')}`)),
    ).toEqual([id]);
    expect(
      ids(await api.get(europol, `/groups/strategic/proposals?q=${encodeURIComponent('border | nothing')}`)),
    ).toEqual([]);
  });

  it('indexes text jsonb refuses (NUL, a lone surrogate) without failing, and keeps typed backslashes as text', async () => {
    const { t, api } = await instance(await freshPostgresUrl());
    const europol = await t.token('delegate', 'europol');
    // The routes refuse control characters; a log may still hold them (the store takes any string).
    const outcome = await t.runtime.store.append({
      streamId: 'proposal-odd',
      expectedVersion: 'no-stream',
      events: [
        {
          type: 'ProposalSubmitted',
          data: {
            proposalId: 'odd',
            groupId: 'strategic',
            visibility: 'dialogue',
            title: 'Lone \ud800 surrogate',
            body: 'NUL \u0000 here, a typed \\ud800 and \\\ud800 kept',
            pillars: [],
            authorEntityId: 'europol',
          },
        },
      ],
      metadata: { actor: { entityId: 'europol', person: 'A delegate', role: 'delegate' }, requestId: 'req-odd' },
    });
    expect(outcome.kind).toBe('appended');
    const search = async (q: string) => ids(await api.get(europol, `/groups/strategic/proposals?q=${q}`));
    expect(await search('surrogate')).toEqual(['odd']);
    expect(await search('nul')).toEqual(['odd']);
    expect(await search('ud800')).toEqual(['odd']);
  });

  it('indexes, when migrated, the text a log already held (revisions and comments in log order)', async () => {
    const url = await freshPostgresUrl();
    const first = await instance(url);
    const europol = await first.t.token('delegate', 'europol');
    const revised = await first.api.submit(europol, 'strategic', { title: 'Wildlife crime', body: 'Ivory.' });
    await first.api.post(europol, `/proposals/${revised}/revisions`, {
      title: 'Timber trafficking',
      body: 'Logs.',
      expectedVersion: 1,
    });
    await first.api.post(europol, `/proposals/${revised}/comments`, { body: 'Sawmills as well.' });
    const other = await first.api.submit(europol, 'strategic', { title: 'Firearms', body: 'Serial numbers.' });
    await first.t.runtime.pgSearch?.follow();
    const before = await sql(url, 'SELECT position, own_text, document::text FROM proposal_search ORDER BY position');
    expect(before).toHaveLength(3);
    await first.t.close();
    opened.splice(opened.indexOf(first.t), 1);
    // The log as code before the search migration left it.
    await sql(
      url,
      `DROP FUNCTION proposal_search_follow(BIGINT); DROP FUNCTION proposal_search_index(BIGINT, TEXT, TEXT);
       DROP TABLE proposal_search, proposal_search_position; DROP FUNCTION dialogue_search_document(TEXT, TEXT);
       DROP TEXT SEARCH CONFIGURATION dialogue_search; DROP TEXT SEARCH DICTIONARY dialogue_stem;
       DROP FUNCTION dialogue_search_words(TEXT); DELETE FROM dialogue_migrations WHERE name = '0003_search'`,
    );
    const second = await instance(url);
    await second.t.runtime.pgSearch?.follow();
    expect(await sql(url, 'SELECT position, own_text, document::text FROM proposal_search ORDER BY position')).toEqual(
      before,
    );
    const search = async (q: string) => ids(await second.api.get(europol, `/groups/strategic/proposals?q=${q}`));
    expect(await search('timber')).toEqual([revised]);
    expect(await search('ivory')).toEqual([]);
    expect(await search('sawmill')).toEqual([revised]);
    expect(await search('serial')).toEqual([other]);
  });

  it('keeps the index as the service role granted by grants.sql, which may not change the log', async () => {
    const url = await freshPostgresUrl();
    await (await instance(url)).t.close();
    opened.pop();
    const restricted = await serviceRoleUrl(url, 'search');
    const { t, api } = await instance(restricted);
    const europol = await t.token('delegate', 'europol');
    const id = await api.submit(europol, 'strategic', { title: 'Drug precursors', body: 'Ports.' });
    await api.post(europol, `/proposals/${id}/revisions`, {
      title: 'Chemical precursors',
      body: 'Ports.',
      expectedVersion: 1,
    });
    expect(ids(await api.get(europol, '/groups/strategic/proposals?q=chemical'))).toEqual([id]);
    await expect(sql(restricted, 'DROP TABLE proposal_search')).rejects.toThrow(/must be owner/);
    // A role left without a right the index needs (an upgrade without grants.sql run again): searches and
    // submissions answer from the index as it stands rather than failing.
    const role = new URL(restricted).username;
    await sql(url, `REVOKE UPDATE ON proposal_search_position FROM ${role}`);
    const later = await api.post(europol, '/groups/strategic/proposals', { title: 'Chemical trade', body: 'Ports.' });
    expect(later.statusCode).toBe(201);
    expect(later.json().similar).toMatchObject([{ id }]);
    const res = await api.get(europol, '/groups/strategic/proposals?q=chemical');
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual([id]);
    // And the instance's metrics say so.
    const auditor = await t.token('auditor');
    const metrics = await t.app.inject({ url: '/metrics', headers: t.auth(auditor) });
    expect(metrics.body).toMatch(/dialogue_pg_search_follow_failures_total\{reason="other"\} [1-9]/);
  });

  it('follows the log a page of events with text at a time, in log order, past events without text', async () => {
    const url = await freshPostgresUrl();
    const { t, api } = await instance(url);
    const europol = await t.token('delegate', 'europol');
    await t.runtime.pgSearch?.close();
    const submitted: string[] = [];
    for (const title of ['Alpha', 'Bravo', 'Charlie']) {
      submitted.push(await api.submit(europol, 'strategic', { title, body: 'Text.' }));
      await t.token('delegate', 'afripol');
    }
    // The instance's own follower may have run meanwhile: start the index from nothing.
    await sql(url, 'DELETE FROM proposal_search; UPDATE proposal_search_position SET position = 0');
    const head = t.runtime.store.reader.head().position;
    const follow = async () =>
      Number((await sql<{ left: string }>(url, 'SELECT proposal_search_follow(2) AS left'))[0]?.left);
    const indexed = async () =>
      (await sql<{ proposal_id: string }>(url, 'SELECT proposal_id FROM proposal_search ORDER BY position')).map(
        (row) => row.proposal_id,
      );
    expect(await follow()).toBeGreaterThan(0);
    expect(await indexed()).toEqual(submitted.slice(0, 2));
    expect(await follow()).toBe(0);
    expect(await indexed()).toEqual(submitted);
    expect((await sql<{ position: string }>(url, 'SELECT position FROM proposal_search_position'))[0]?.position).toBe(
      String(head),
    );
  });
});
