import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openRuntime, type Runtime } from '../../src/runtime';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { issueToken, revokeToken } from '../../src/tokens/tokens';
import { testClock } from '../support/app';

let logs = '';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'trace' });
  runtime = await openRuntime(config, testClock().clock);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const options = loggerOptions('trace');
  app = await buildApp({
    runtime,
    config,
    logger: typeof options === 'object' && options !== null ? { ...options, stream } : options,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

/** A GET sent exactly as written (inject would normalise the URL's escapes before the server saw them). */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ statusCode: number; contentType: string; body: string }> {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body }),
      );
    });
    request.on('error', reject);
  });
}
afterAll(async () => {
  await app.close();
  await runtime.close();
});

const issue = async (entityId: string) =>
  (
    await issueToken(
      runtime.store,
      runtime.directory,
      { role: 'delegate', entityId, person: 'P' },
      { ...SYSTEM_ACTOR },
      'leak-test',
    )
  ).token;

describe('tokens', () => {
  it('never writes a token to the logs, whether sent as a header or in the query', async () => {
    const token = await issue('europol');
    await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: `/groups?token=${token}` });
    await app.inject({ method: 'GET', url: `/ws?token=${encodeURIComponent(token)}` });
    await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}x` } });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.slice(4, 24));
  });

  it("never takes a token as a request id, which is echoed, logged and recorded in the log's metadata", async () => {
    const token = await issue('europol');
    const res = await app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers: {
        authorization: `Bearer ${token}`,
        'x-request-id': token.slice(0, 40),
        'content-type': 'application/json',
      },
      payload: { title: 'Request ids', body: 'Never a token.' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).not.toContain('dlg_');
    const event = runtime.store.reader.readPage(res.json().position - 1, 1)[0];
    expect(event?.metadata.requestId).toBe(res.headers['x-request-id']);
    expect(logs).not.toContain(token.slice(0, 40));
    const plain = await app.inject({
      method: 'GET',
      url: '/groups',
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'client-trace-7' },
    });
    expect(plain.headers['x-request-id']).toBe('client-trace-7');
  });

  it('never writes a token to the logs, however the URL spells or hides it', async () => {
    const token = await issue('europol');
    const every = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const urls = [
      `/ws?token=${token}`,
      `/ws?tok%65n=${token}`,
      `/ws?%74oken=${token}`,
      `/ws?TOKEN=${token}`,
      `/ws?tok%2565n=${token}`,
      `/ws?token=${every(token)}`,
      `/ws?token=${every(every(token))}`,
      `/ws?x=1&next=${encodeURIComponent(`/ws?token=${token}`)}`,
      `/groups?q=${token}`,
      `/ws?${token}`,
      `/ws%ZZ?token=${token}`,
      `/proposals/${token}`,
      `/nowhere/${every(token)}?a=b`,
    ];
    for (const url of urls) await rawGet(url, { authorization: `Bearer ${token}` });
    for (const url of urls) await rawGet(url);
    expect(logs.length).toBeGreaterThan(0);
    // Decoded as a reader of the log would: %-escapes, however often nested.
    let decoded = logs;
    for (let before = ''; before !== decoded; ) {
      before = decoded;
      decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    expect(decoded).not.toContain(token.slice(4, 24));
  });

  it('echoes neither the URL nor a token in any error response', async () => {
    const token = await issue('europol');
    const headers = { authorization: `Bearer ${token}` };
    const cases = [
      { url: `/ws%ZZ?token=${token}`, headers: {}, status: 400 },
      { url: `/ws%ZZ?token=${token}`, headers, status: 400 },
      { url: `/proposals/%E0%A4%A?token=${token}`, headers, status: 400 },
      { url: `/groups?token=${token}`, headers, status: 400 },
      { url: `/groups?token=${token}`, headers: {}, status: 401 },
      { url: `/ws?token=${token}x`, headers: {}, status: 401 },
      { url: `/nowhere?token=${token}`, headers, status: 404 },
      { url: `/nowhere%3Ftoken=${token}`, headers, status: 404 },
      { url: `/nowhere/${token}`, headers, status: 404 },
      { url: `/proposals/${token}`, headers, status: 404 },
    ];
    for (const { url, headers: sent, status } of cases) {
      const res = await rawGet(url, sent);
      expect(res.statusCode, url).toBe(status);
      expect(res.contentType, url).toMatch(/^application\/problem\+json/);
      expect(res.body, url).not.toContain(token.slice(4, 24));
      expect(res.body, url).not.toContain('token=');
    }
    const bad = JSON.parse((await rawGet(`/ws%ZZ?token=${token}`)).body);
    expect(bad).toMatchObject({
      status: 400,
      errors: [{ path: 'url', message: expect.stringMatching(/cannot be decoded/) }],
    });
    expect(bad.instance).toBeUndefined();
    const missing = JSON.parse((await rawGet('/nowhere/at-all?x=1', headers)).body);
    expect(missing).toMatchObject({ status: 404, instance: '/nowhere/at-all', detail: 'no route GET /nowhere/at-all' });
  });

  it('refuses a revoked token on the very next request', async () => {
    const { token, tokenId } = await issueToken(
      runtime.store,
      runtime.directory,
      { role: 'delegate', entityId: 'afripol', person: 'P' },
      { ...SYSTEM_ACTOR },
      'r',
    );
    expect(
      (await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    await revokeToken(runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'r2');
    expect(
      (await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
  });
});

describe('errors', () => {
  it('answers an internal failure with a 500 that reveals no stack, SQL, table or path', async () => {
    const token = await issue('europol');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers,
      payload: { title: 't', body: 'b' },
    });
    const id = created.json().id as string;
    // Break a view under the running server: its queries now fail inside SQLite.
    runtime.db.sqlite.exec('ALTER TABLE proposal_endorsements RENAME TO proposal_endorsements_gone');
    try {
      const res = await app.inject({ method: 'GET', url: `/proposals/${id}`, headers });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      for (const secret of ['proposal_endorsements', 'SQLITE', 'SELECT', 'at ', '/work', 'node_modules', '.ts']) {
        expect(res.body, secret).not.toContain(secret);
      }
      expect(res.json()).toMatchObject({ status: 500, requestId: expect.any(String) });
    } finally {
      runtime.db.sqlite.exec('ALTER TABLE proposal_endorsements_gone RENAME TO proposal_endorsements');
    }
  });
});
