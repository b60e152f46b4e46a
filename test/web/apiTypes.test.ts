import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/web/api/client';
import { createTestApp, type TestContext } from '../support/app';
import { runTs } from '../support/cli';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCHEMA = path.join(ROOT, 'src/web/api/schema.d.ts');

describe('npm run api:types', () => {
  it('finds the committed types up to date with the served OpenAPI document (--check exits 0)', async () => {
    const result = await runTs('scripts/apiTypes.ts', ['--check'], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('fails --check on a changed or missing file, naming the command that regenerates it, and writing nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-api-types-'));
    try {
      const copy = path.join(dir, 'schema.d.ts');
      copyFileSync(SCHEMA, copy);
      writeFileSync(copy, '// an older version\n', { flag: 'a' });
      const stale = await runTs('scripts/apiTypes.ts', ['--check', '--out', copy], {});
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('run `npm run api:types`');
      expect(readFileSync(copy, 'utf8').endsWith('// an older version\n')).toBe(true);
      const missing = await runTs('scripts/apiTypes.ts', ['--check', '--out', path.join(dir, 'absent.d.ts')], {});
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('stale or missing');
      // Regenerating the copy makes --check pass on it again.
      expect((await runTs('scripts/apiTypes.ts', ['--out', copy], {})).code).toBe(0);
      expect((await runTs('scripts/apiTypes.ts', ['--check', '--out', copy], {})).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Four runs of the generator, each its own process: minutes' worth of margin on a loaded machine.
  }, 120_000);
});

describe('the typed client against a listening server', () => {
  let t: TestContext;
  let baseUrl: string;
  let delegate: string;
  beforeAll(async () => {
    t = await createTestApp();
    // Fastify answers with the address it listens on: http://127.0.0.1:<port>.
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    delegate = await t.token('delegate', 'europol');
  });
  afterAll(async () => t.close());

  async function submitted(): Promise<string> {
    const api = createApiClient(baseUrl, () => delegate);
    const { data, response } = await api.POST('/groups/{groupId}/proposals', {
      params: { path: { groupId: 'strategic' } },
      body: { title: 'Shared threat picture', body: 'Exchange threat assessments monthly.' },
    });
    expect(response.status).toBe(201);
    if (!data) throw new Error('no proposal created');
    return data.id;
  }

  it('reads a proposal (200) with the bearer token sent by the middleware', async () => {
    const id = await submitted();
    const api = createApiClient(baseUrl, () => delegate);
    const { data, error, response } = await api.GET('/proposals/{id}', { params: { path: { id } } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ id, title: 'Shared threat picture', commentCount: 0 });
  });

  it('sends no Authorization header when there is no token: a 401 problem', async () => {
    const id = await submitted();
    const { error, response } = await createApiClient(baseUrl, () => null).GET('/proposals/{id}', {
      params: { path: { id } },
    });
    expect(response.status).toBe(401);
    expect(error?.status).toBe(401);
  });

  it('gives a 404 as a typed problem whose detail the page can show', async () => {
    const { data, error, response } = await createApiClient(baseUrl, () => delegate).GET('/proposals/{id}', {
      params: { path: { id: 'no-such-proposal' } },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(data).toBeUndefined();
    expect(error?.status).toBe(404);
    expect(error?.detail).toBe("no proposal 'no-such-proposal'");
  });

  it('writes with If-Match passed as a typed header parameter: the current ETag is taken, a stale one is a 412', async () => {
    const id = await submitted();
    const api = createApiClient(baseUrl, () => delegate);
    const read = await api.GET('/proposals/{id}', { params: { path: { id } } });
    const etag = read.response.headers.get('etag');
    expect(etag).toBe('W/"1"');
    const comment = (ifMatch: string) =>
      api.POST('/proposals/{id}/comments', {
        params: { path: { id }, header: { 'if-match': ifMatch } },
        body: { body: 'Agreed, monthly.' },
      });
    const written = await comment(etag ?? '');
    expect(written.response.status).toBe(201);
    expect(written.data?.version).toBe(2);
    const stale = await comment(etag ?? '');
    expect(stale.response.status).toBe(412);
    expect(stale.error?.detail).toEqual(expect.any(String));
    expect((await api.GET('/proposals/{id}', { params: { path: { id } } })).data?.commentCount).toBe(1);
  });
});
