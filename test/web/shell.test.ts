import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';

/** The first 16 hex digits of a file's SHA-256, which name it under /app/assets. */
const contentHash = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 16);

describe('the web page as the server serves it', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('redirects / and /app to the page without a token', async () => {
    for (const url of ['/', '/app']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/app/');
    }
  });

  it('serves the same shell for every /app/* path, public, with a strict Content-Security-Policy and no data', async () => {
    for (const url of ['/app/', '/app/groups/strategic', '/app/proposals/p1?status=open', '/app/audit', '/app/admin']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.body).toContain('<base href="/app/">');
      expect(res.body).not.toMatch(/strategic|europol/i);
    }
  });

  it('serves the bundle it names, gzipped when asked, cached for good under its content hash', async () => {
    const shell = (await t.app.inject({ method: 'GET', url: '/app/' })).body;
    const script = /src="assets\/(app\.[0-9a-f]{16}\.js)"/.exec(shell)?.[1];
    const style = /href="assets\/(app\.[0-9a-f]{16}\.css)"/.exec(shell)?.[1];
    const plain = await t.app.inject({ method: 'GET', url: `/app/assets/${script}` });
    expect(plain.statusCode).toBe(200);
    expect(script).toBe(`app.${contentHash(plain.rawPayload)}.js`);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toContain('immutable');
    const zipped = await t.app.inject({
      method: 'GET',
      url: `/app/assets/${script}`,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    const css = await t.app.inject({ method: 'GET', url: `/app/assets/${style}` });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style).toBe(`app.${contentHash(css.rawPayload)}.css`);
  });

  it('answers an unknown asset with a 404 problem, not the shell', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/app/assets/app.0000000000000000.js' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, detail: expect.stringContaining('reload') });
  });

  it('keeps the token rule everywhere else: the API under the page is not public', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/groups' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
  });

  it('keeps the shell out of the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/docs/json' })).json().paths as object);
    expect(paths.filter((path) => path === '/' || path.startsWith('/app'))).toEqual([]);
  });

  it('GET /me names the token: role, entity and its kind, and person', async () => {
    const member = await t.token('delegate', 'europol', 'Delegate of Europol');
    const observer = await t.token('delegate', 'unodc', 'Delegate of UNODC');
    const auditor = await t.token('auditor', null, 'Auditor');
    const me = async (token: string) =>
      (await t.app.inject({ method: 'GET', url: '/me', headers: t.auth(token) })).json();
    expect(await me(member)).toEqual({
      role: 'delegate',
      entityId: 'europol',
      entityKind: 'member',
      person: 'Delegate of Europol',
    });
    expect(await me(observer)).toMatchObject({ entityId: 'unodc', entityKind: 'observer' });
    expect(await me(auditor)).toEqual({ role: 'auditor', entityId: null, entityKind: null, person: 'Auditor' });
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: t.auth('dlg_unknown') })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/me?x=1', headers: t.auth(member) })).statusCode).toBe(400);
  });
});

describe('the web page below a PUBLIC_URL path', () => {
  it('names its base and redirects below that path', async () => {
    const t = await createTestApp({ env: { PUBLIC_URL: 'https://dialogue.example.org/dialogue' } });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/' })).headers.location).toBe('/dialogue/app/');
      expect((await t.app.inject({ method: 'GET', url: '/app/' })).body).toContain('<base href="/dialogue/app/">');
    } finally {
      await t.close();
    }
  });
});
