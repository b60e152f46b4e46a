import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_TIMEOUTS_MS } from '../../src/app';
import { createTestApp, type TestContext } from '../support/app';

let t: TestContext | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('resource limits', () => {
  it('answers 429 problem+json with Retry-After once a token passes its rate, per token', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    const busy = await t.token('delegate', 'europol');
    const other = await t.token('delegate', 'europol');
    const statuses = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(busy) })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(busy) });
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(other) })).statusCode).toBe(200);
  });

  it("gives the server its own timeouts for connections, requests and keep-alive, not Node's defaults", async () => {
    t = await createTestApp();
    const server = t.app.server;
    expect(SERVER_TIMEOUTS_MS).toEqual({ connection: 60_000, request: 30_000, keepAlive: 72_000 });
    expect(server.timeout).toBe(SERVER_TIMEOUTS_MS.connection);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS_MS.request);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS_MS.keepAlive);
    // Node's own defaults differ (no connection timeout, 300 s per request, 5 s keep-alive): the values are ours.
    expect([server.timeout, server.requestTimeout, server.keepAliveTimeout]).not.toEqual([0, 300_000, 5_000]);
  });

  it('caps list limits at 200', async () => {
    t = await createTestApp();
    const token = await t.token('delegate', 'europol');
    for (const url of [
      '/groups/strategic/proposals?limit=201',
      '/groups/strategic/action-items?limit=100000',
      '/events?limit=1001',
    ]) {
      const auditor = await t.token('auditor');
      expect(
        (await t.app.inject({ method: 'GET', url, headers: t.auth(url.startsWith('/events') ? auditor : token) }))
          .statusCode,
        url,
      ).toBe(400);
    }
  });
});

describe('failed authentication', () => {
  it('answers 429 with Retry-After to an address that keeps guessing tokens, before looking at the token', async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_MAX: '5' } });
    const guesses = [];
    for (let i = 0; i < 6; i += 1)
      guesses.push(
        (await t.app.inject({ method: 'GET', url: '/groups', headers: { authorization: `Bearer dlg_guess${i}` } }))
          .statusCode,
      );
    expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);
    const good = await t.token('delegate', 'europol');
    const blocked = await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(good) });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(good), remoteAddress: '10.0.0.7' }))
        .statusCode,
    ).toBe(200);
  });

  it('does not count requests without a token against their address (probes, a favicon, unknown paths)', async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_MAX: '5' } });
    for (let i = 0; i < 10; i += 1)
      expect((await t.app.inject({ method: 'GET', url: i % 2 ? '/favicon.ico' : '/groups' })).statusCode).toBe(401);
    const good = await t.token('delegate', 'europol');
    expect((await t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(good) })).statusCode).toBe(200);
  });

  it('behind a proxy named in TRUST_PROXY, counts each client by its forwarded address: one guesser does not lock the others out', async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_MAX: '3', TRUST_PROXY: '10.0.0.1' } });
    const viaProxy = (client: string) => ({ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    const guesses = [];
    for (let i = 0; i < 4; i += 1) {
      const { remoteAddress, headers } = viaProxy('203.0.113.5');
      guesses.push(
        (
          await t.app.inject({
            method: 'GET',
            url: '/groups',
            remoteAddress,
            headers: { ...headers, authorization: `Bearer dlg_guess${i}` },
          })
        ).statusCode,
      );
    }
    expect(guesses).toEqual([401, 401, 401, 429]);
    const good = await t.token('delegate', 'europol');
    const other = viaProxy('203.0.113.6');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/groups',
          remoteAddress: other.remoteAddress,
          headers: { ...other.headers, ...t.auth(good) },
        })
      ).statusCode,
    ).toBe(200);
    const guesser = viaProxy('203.0.113.5');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/groups',
          remoteAddress: guesser.remoteAddress,
          headers: { ...guesser.headers, ...t.auth(good) },
        })
      ).statusCode,
    ).toBe(429);
  });

  it('believes X-Forwarded-For only from the proxies named: without TRUST_PROXY, or from another address, a forged header does not escape the limit', async () => {
    for (const [env, remoteAddress] of [
      [{}, '127.0.0.1'],
      [{ TRUST_PROXY: '10.0.0.1' }, '198.51.100.9'],
    ] as const) {
      t = await createTestApp({ env: { AUTH_FAILURES_MAX: '3', ...env } });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const headers = { 'x-forwarded-for': `203.0.113.${i}`, authorization: `Bearer dlg_guess${i}` };
        statuses.push((await t.app.inject({ method: 'GET', url: '/groups', remoteAddress, headers })).statusCode);
      }
      expect(statuses, JSON.stringify(env)).toEqual([401, 401, 401, 429]);
      await t.close();
      t = undefined;
    }
  });

  it('limits the public routes per client address behind a trusted proxy', async () => {
    const context = await createTestApp({ env: { RATE_LIMIT_MAX: '2', TRUST_PROXY: '10.0.0.0/8' } });
    t = context;
    const health = (client: string) =>
      context.app.inject({
        method: 'GET',
        url: '/health',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await health('203.0.113.5')).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await health('203.0.113.6')).statusCode).toBe(200);
  });
});
