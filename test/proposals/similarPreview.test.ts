import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { similarProposals } from '../../src/proposals/search/search';
import { createTestApp, TEST_STORE, type TestContext } from '../support/app';
import { client, problem } from './support';

let t: TestContext;
let api: ReturnType<typeof client>;
let europol: string;
let afripol: string;
let aimc: string;
let unodc: string;
let secretariat: string;

beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
  [europol, afripol, aimc, unodc, secretariat] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'aimc'),
    t.token('delegate', 'unodc'),
    t.token('secretariat'),
  ]);
});
afterEach(async () => t.close());

type Similar = Array<{ id: string; groupId: string; title: string; score: number }>;

const NEW = {
  title: 'Cybercrime threat assessments',
  body: 'Quarterly cybercrime threat assessments shared between regions, with ransomware trends.',
};

const previewUrl = (groupId: string, text: Record<string, string>) =>
  `/groups/${groupId}/proposals/similar?${new URLSearchParams(text).toString()}`;

/** Subjects other than cybercrime, so that its words are rare in every table, as in a real Dialogue. */
const OTHER_SUBJECTS = [
  ['Border data exchange', 'Common formats for passenger records.'],
  ['Training for analysts', 'Joint courses on open sources.'],
  ['Firearms registry', 'Serial numbers of seized weapons.'],
  ['Drug precursors', 'Chemical diversion monitoring at ports.'],
  ['Missing persons', 'Notices for missing children.'],
  ['Art theft', 'A database of stolen cultural goods.'],
  ['Wildlife trafficking', 'Ivory and timber seizures.'],
  ['Liaison officers', 'Posting officers abroad.'],
] as const;

/** Proposals on cybercrime in both groups, of both visibilities, with a comment, among others on other subjects. */
async function cybercrimeDialogue(): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const submit = async (
    name: string,
    token: string,
    groupId: string,
    title: string,
    body: string,
    visibility = 'dialogue',
  ) => {
    ids[name] = await api.submit(token, groupId, { title, body, visibility });
  };
  for (const [index, [title, body]] of OTHER_SUBJECTS.entries()) {
    await submit(`strategic ${index}`, europol, 'strategic', title, body);
    await submit(`operational ${index}`, afripol, 'operational', title, body);
    if (index < 4) await submit(`members ${index}`, europol, 'strategic', title, body, 'members');
  }
  await submit(
    'picture',
    europol,
    'strategic',
    'Shared cybercrime threat picture',
    'Exchange cybercrime threat assessments every quarter.',
  );
  await submit(
    'ransomware',
    afripol,
    'strategic',
    'Ransomware reporting',
    'A common form for ransomware incidents and threat trends.',
  );
  await submit(
    'restricted',
    europol,
    'strategic',
    'Restricted cybercrime operation',
    'Cybercrime threat assessments for members only.',
    'members',
  );
  await submit(
    'regional',
    afripol,
    'operational',
    'Regional cybercrime desks',
    'Desks that share threat assessments between regions.',
  );
  await submit('piracy', europol, 'strategic', 'Maritime piracy routes', 'Patrol coordination in the Gulf of Guinea.');
  await submit('firearms', afripol, 'operational', 'Firearms tracing', 'Serial numbers and ballistic data.');
  expect(
    (
      await api.post(afripol, `/proposals/${ids.picture}/comments`, {
        body: 'Ransomware threat assessments belong here too.',
      })
    ).statusCode,
  ).toBe(201);
  return ids;
}

describe('GET /groups/:groupId/proposals/similar', () => {
  it('answers the same list and scores as the 201 of the same submission made next', async () => {
    const ids = await cybercrimeDialogue();
    const preview = await api.get(aimc, previewUrl('strategic', NEW));
    expect(preview.statusCode).toBe(200);
    const similar = preview.json().similar as Similar;
    expect(new Set(similar.map((item) => item.groupId))).toEqual(new Set(['strategic', 'operational']));
    expect(similar.map((item) => item.id)).toContain(ids.restricted);
    const submitted = await api.post(aimc, '/groups/strategic/proposals', NEW);
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json().similar).toEqual(similar);
  });

  it('answers as a members-only submission would with visibility=members (on SQLite its text moves other scores)', async () => {
    await cybercrimeDialogue();
    const asDialogue = (await api.get(aimc, previewUrl('strategic', NEW))).json().similar as Similar;
    const preview = await api.get(aimc, previewUrl('strategic', { ...NEW, visibility: 'members' }));
    expect(preview.statusCode).toBe(200);
    // bm25 ranks by the statistics of the table the new text joins; PostgreSQL's ts_rank by each text alone.
    if (TEST_STORE === 'sqlite') expect(preview.json().similar).not.toEqual(asDialogue);
    else expect(preview.json().similar).toEqual(asDialogue);
    // With an Idempotency-Key the list is kept with the key, computed before the append: the same figures.
    const submit = () =>
      api.post(
        aimc,
        '/groups/strategic/proposals',
        { ...NEW, visibility: 'members' },
        { 'idempotency-key': 'members-submission' },
      );
    const submitted = await submit();
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json().similar).toEqual(preview.json().similar);
    // A repeat answers the kept list, even once another submission of the same text moves the scores.
    await api.submit(europol, 'strategic', { ...NEW, visibility: 'members' });
    expect(
      (await api.get(aimc, previewUrl('strategic', { ...NEW, visibility: 'members' }))).json().similar,
    ).not.toEqual(submitted.json().similar);
    const replayed = await submit();
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json()).toEqual(submitted.json());
  });

  it('scores as the submission is scored (SQLite: with the new text in its table; PostgreSQL: by each text alone)', async () => {
    await cybercrimeDialogue();
    const preview = (await api.get(aimc, previewUrl('strategic', NEW))).json().similar as Similar;
    if (TEST_STORE === 'postgres') {
      // Once submitted, the same text scores every other proposal as before, and itself 1.
      const id = await api.submit(europol, 'strategic', NEW);
      const again = (await api.get(aimc, previewUrl('strategic', NEW))).json().similar as Similar;
      expect(again[0]).toMatchObject({ id, score: 1 });
      expect(again.slice(1)).toEqual(preview.slice(0, again.length - 1));
      return;
    }
    // The index as it stands, the new text absent: the ratios to the best match are not the 201's.
    const sqlite = t.runtime.db.sqlite;
    const absent = similarProposals(
      sqlite,
      { seq: 0, ...NEW },
      { tables: t.runtime.search.tables.visible(['strategic', 'operational'], true) },
    );
    expect(absent.map((item) => item.score)).not.toEqual(preview.map((item) => item.score));
  });

  it('records nothing: the log, the idempotency records and the search index stay as they were', async () => {
    await cybercrimeDialogue();
    const sqlite = t.runtime.db.sqlite;
    // The index follows the log by itself within 50 ms: what it follows meanwhile is no trace of a preview.
    t.runtime.search.catchUp();
    await t.runtime.pgSearch?.follow();
    const remote = t.runtime.store.remote;
    const pgRows = async () =>
      remote ? (await remote.pool.query('SELECT count(*) AS n FROM proposal_search')).rows : undefined;
    const snapshot = async () => ({
      head: t.runtime.store.reader.head(),
      pgRows: await pgRows(),
      keys: sqlite.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get(),
      tables: sqlite.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'proposal_search_%' ORDER BY name").all(),
      registry: sqlite.prepare('SELECT * FROM search_tables ORDER BY name').all(),
      indexed: t.runtime.search.position(),
      rows: remote
        ? undefined
        : sqlite
            .prepare("SELECT COUNT(*) AS n FROM proposal_search_1 WHERE proposal_search_1 MATCH 'cybercrime'")
            .get(),
    });
    const before = await snapshot();
    // The operational group has no members-only text yet: the preview creates its table, and takes it back.
    for (const [groupId, visibility] of [
      ['strategic', 'dialogue'],
      ['operational', 'members'],
    ] as const) {
      const res = await api.get(aimc, previewUrl(groupId, { ...NEW, visibility }), {
        'idempotency-key': `preview-${groupId}`,
      });
      expect(res.statusCode).toBe(200);
    }
    expect(await snapshot()).toEqual(before);
    // The table number the preview took back is free for the submission that does need it.
    const submitted = await api.post(aimc, '/groups/operational/proposals', { ...NEW, visibility: 'members' });
    expect(submitted.statusCode).toBe(201);
  });

  it('never lists a members-only proposal to an observer entity, and refuses it visibility=members with 403', async () => {
    const ids = await cybercrimeDialogue();
    const res = await api.get(unodc, previewUrl('strategic', NEW));
    expect(res.statusCode).toBe(200);
    const similar = res.json().similar as Similar;
    expect(similar.map((item) => item.id).sort()).toEqual([ids.picture, ids.ransomware, ids.regional].sort());
    expect(similar.map((item) => item.id)).not.toContain(ids.restricted);
    const members = await api.get(unodc, previewUrl('strategic', { ...NEW, visibility: 'members' }));
    expect(members.statusCode).toBe(403);
    expect(problem(members).detail).toMatch(/observer/);
  });

  it('lists proposals of every group the caller takes part in, and of none it has left', async () => {
    const ids = await cybercrimeDialogue();
    const across = (await api.get(aimc, previewUrl('strategic', NEW))).json().similar as Similar;
    expect(across.map((item) => item.id)).toContain(ids.regional);
    expect((await api.del(secretariat, '/groups/operational/participants/aimc')).statusCode).toBe(200);
    const res = await api.get(aimc, previewUrl('strategic', NEW));
    const similar = res.json().similar as Similar;
    expect(similar.map((item) => item.id).sort()).toEqual([ids.picture, ids.restricted, ids.ransomware].sort());
    expect(similar.every((item) => item.groupId === 'strategic')).toBe(true);
    expect((await api.post(aimc, '/groups/strategic/proposals', NEW)).json().similar).toEqual(similar);
  });

  it('answers a token without an entity (secretariat) an empty list: it takes part in no group', async () => {
    await cybercrimeDialogue();
    const res = await api.get(secretariat, previewUrl('strategic', NEW));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ similar: [] });
  });

  it('refuses a missing, blank, too long or ill-formed title or body, and unknown parameters, with 400 and the field', async () => {
    for (const [query, path] of [
      [{ body: NEW.body }, 'querystring.title'],
      [{ title: NEW.title }, 'querystring.body'],
      [{ title: '', body: NEW.body }, 'querystring.title'],
      [{ title: NEW.title, body: ' \u200B ' }, 'querystring.body'],
      [{ title: 'x'.repeat(201), body: NEW.body }, 'querystring.title'],
      [{ title: NEW.title, body: 'x'.repeat(20_001) }, 'querystring.body'],
      [{ title: 'Safe\u202Etxt.exe', body: NEW.body }, 'querystring.title'],
      [{ title: NEW.title, body: 'bell\u0007' }, 'querystring.body'],
      [{ ...NEW, visibility: 'secret' }, 'querystring.visibility'],
      [{ ...NEW, pillars: 'single-node' }, 'querystring.pillars'],
    ] as const) {
      const res = await api.get(europol, previewUrl('strategic', query));
      expect(res.statusCode, JSON.stringify(query).slice(0, 80)).toBe(400);
      expect(problem(res).errors?.map((error) => error.path)).toContain(path);
    }
    const none = await api.get(europol, '/groups/strategic/proposals/similar');
    expect(none.statusCode).toBe(400);
    expect(problem(none).errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining(['querystring.title', 'querystring.body']),
    );
    const repeated = await api.get(europol, `${previewUrl('strategic', NEW)}&title=again`);
    expect(repeated.statusCode).toBe(400);
  });

  it('answers 401 without a token, 404 for an unknown group and 403 for a group the entity does not take part in, as the list does', async () => {
    const url = (groupId: string) => previewUrl(groupId, NEW);
    expect((await t.app.inject({ method: 'GET', url: url('strategic') })).statusCode).toBe(401);
    expect((await api.get(europol, url('tactical'))).statusCode).toBe(404);
    expect((await api.del(secretariat, '/groups/strategic/participants/europol')).statusCode).toBe(200);
    for (const path of [url('strategic'), '/groups/strategic/proposals']) {
      const res = await api.get(europol, path);
      expect(res.statusCode, path).toBe(403);
    }
    expect((await api.get(europol, '/groups/tactical/proposals')).statusCode).toBe(404);
  });
});

describe('GET /groups/:groupId/proposals/similar, over a real connection', () => {
  it('takes a long body in the query string, and answers a request line over the 16 KiB limit with a 431 problem', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const call = (body: string) =>
      fetch(`${base}${previewUrl('strategic', { title: NEW.title, body })}`, { headers: t.auth(europol) });
    const long = await call(`${NEW.body} `.repeat(140).trim());
    expect(long.status).toBe(200);
    const tooLong = await call('x'.repeat(20_000));
    expect(tooLong.status).toBe(431);
    expect(tooLong.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('GET /groups/:groupId/proposals/similar, while another process writes', () => {
  it('answers 503 while another connection holds the write lock past the busy timeout, and 200 once it is released', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-similar-')), 'd.sqlite');
    const locked = await createTestApp({ databaseUrl: file, env: { BUSY_TIMEOUT_MS: '50' } });
    const other = new BetterSqlite3(file);
    try {
      const member = await locked.token('delegate', 'europol');
      const call = () =>
        locked.app.inject({ method: 'GET', url: previewUrl('strategic', NEW), headers: locked.auth(member) });
      other.exec('BEGIN IMMEDIATE');
      const refused = await call();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      other.exec('ROLLBACK');
      expect((await call()).statusCode).toBe(200);
    } finally {
      other.close();
      await locked.close();
    }
  });
});

describe('GET /groups/:groupId/proposals/similar, rate limit', () => {
  it('counts toward the token rate limit like the other reads', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_MAX: '3' } });
    try {
      const member = await limited.token('delegate', 'europol');
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push(
          (
            await limited.app.inject({
              method: 'GET',
              url: previewUrl('strategic', NEW),
              headers: limited.auth(member),
            })
          ).statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
