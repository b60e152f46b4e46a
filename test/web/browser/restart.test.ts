import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app';
import { loadConfig, systemClock } from '../../../src/config';
import { SYSTEM_ACTOR } from '../../../src/dialogue/reference';
import { openRuntime } from '../../../src/runtime';
import { issueToken, revokeToken } from '../../../src/tokens/tokens';
import { TEST_STORE } from '../../support/app';
import { freshPostgresUrl } from '../../support/postgres';
import { freePort, startServer, stopServer } from '../../support/server';
import { hasChromium, launchBrowser } from './support';

/** Writes through the service's own routes on the database file, in this process (another instance's writes). */
async function submitDirectly(databaseUrl: string, token: string, title: string): Promise<void> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const runtime = await openRuntime(config, systemClock);
  const app = await buildApp({ runtime, config });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/groups/strategic/proposals',
      headers: { authorization: `Bearer ${token}` },
      payload: { title, body: 'Written while the page was away.' },
    });
    expect(res.statusCode).toBe(201);
  } finally {
    await app.close();
    await runtime.close();
  }
}

describe.skipIf(!hasChromium)('the page across a server restart', () => {
  let browser: Browser;
  let dir: string;
  let server: ChildProcess | undefined;
  /** A new database on the suite's store; on PostgreSQL the server also needs its signing key. */
  const database = async (name: string) =>
    TEST_STORE === 'postgres' ? await freshPostgresUrl() : path.join(dir, `${name}.sqlite`);
  const start = (databaseUrl: string, port: number) =>
    startServer(databaseUrl, port, TEST_STORE === 'postgres' ? { SIGNING_KEY_FILE: path.join(dir, 'key.pem') } : {});
  beforeAll(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'dialogue-restart-'));
  });
  // Each test starts a server of its own: stopped after it, or it would outlive the suite.
  afterEach(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    server = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows reconnecting, then connected, and every event made meanwhile once', async () => {
    const databaseUrl = await database('dialogue');
    const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    const runtime = await openRuntime(config, systemClock);
    const issue = async (entityId: string) =>
      (
        await issueToken(
          runtime.store,
          runtime.directory,
          { role: 'delegate', entityId, person: `Delegate of ${entityId}` },
          { ...SYSTEM_ACTOR },
          `restart-${entityId}`,
        )
      ).token;
    const reader = await issue('europol');
    const writer = await issue('afripol');
    await runtime.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await start(databaseUrl, port);
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${url}/app/groups/strategic#token=${reader}`);
    const connection = page.getByRole('status', { name: 'Connection' });
    await connection.filter({ hasText: 'connected' }).waitFor();
    const proposals = page.getByRole('region', { name: 'Proposals' });
    const submit = async (title: string) => {
      const res = await fetch(`${url}/groups/strategic/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, body: 'Written while the page watched.' }),
      });
      expect(res.status).toBe(201);
    };
    await submit('Before the restart');
    await proposals.getByRole('link', { name: 'Before the restart' }).waitFor();

    await stopServer(server);
    server = undefined;
    await connection.filter({ hasText: /reconnecting|offline/ }).waitFor();
    await submitDirectly(databaseUrl, writer, 'While the server was down');
    server = await start(databaseUrl, port);
    await connection.filter({ hasText: /^connected$/ }).waitFor();
    await proposals.getByRole('link', { name: 'While the server was down' }).waitFor();
    await submit('After the restart');
    await proposals.getByRole('link', { name: 'After the restart' }).waitFor();
    for (const title of ['Before the restart', 'While the server was down', 'After the restart']) {
      expect(await proposals.getByRole('link', { name: title, exact: true }).count(), title).toBe(1);
    }
  });

  it('sends a page whose token was revoked while the server was down to the sign-in form, saying so', async () => {
    const databaseUrl = await database('revoked');
    const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    let runtime = await openRuntime(config, systemClock);
    const { token } = await issueToken(
      runtime.store,
      runtime.directory,
      { role: 'delegate', entityId: 'europol', person: 'Delegate of europol' },
      { ...SYSTEM_ACTOR },
      'revoked-europol',
    );
    const tokenId = runtime.tokens.authenticate(token)?.tokenId ?? '';
    await runtime.close();

    const port = await freePort();
    server = await start(databaseUrl, port);
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`http://127.0.0.1:${port}/app/#token=${token}`);
    const connection = page.getByRole('status', { name: 'Connection' });
    await connection.filter({ hasText: 'connected' }).waitFor();

    await stopServer(server);
    server = undefined;
    await connection.filter({ hasText: /reconnecting|offline/ }).waitFor();
    runtime = await openRuntime(config, systemClock);
    await revokeToken(runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'revoke-while-down');
    await runtime.close();
    server = await start(databaseUrl, port);
    // The upgrade is refused with 401, which a browser reports as a bare close: the page asks who it is.
    await page.getByText('Your token was revoked').waitFor();
    await page.getByLabel('Token').waitFor();
  });
});
