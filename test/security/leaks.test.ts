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
  app = await buildApp({ runtime, config, logger: typeof options === 'object' && options !== null ? { ...options, stream } : options });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await runtime.close();
});

const issue = async (entityId: string) => (await issueToken(runtime.store, runtime.directory, { role: 'delegate', entityId, person: 'P' }, { ...SYSTEM_ACTOR }, 'leak-test')).token;

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

  it('refuses a revoked token on the very next request', async () => {
    const { token, tokenId } = await issueToken(runtime.store, runtime.directory, { role: 'delegate', entityId: 'afripol', person: 'P' }, { ...SYSTEM_ACTOR }, 'r');
    expect((await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    await revokeToken(runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'r2');
    expect((await app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});

describe('errors', () => {
  it('answers an internal failure with a 500 that reveals no stack, SQL, table or path', async () => {
    const token = await issue('europol');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await app.inject({ method: 'POST', url: '/groups/strategic/proposals', headers, payload: { title: 't', body: 'b' } });
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
