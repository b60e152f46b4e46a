import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp } from '../support/app';
import { revokeToken } from '../../src/tokens/tokens';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { createLiveApp, type LiveContext, note } from './support';

let live: LiveContext;

beforeAll(async () => {
  live = await createLiveApp({ WS_MAX_CONNECTIONS_PER_TOKEN: '2', ALLOWED_ORIGINS: 'https://dialogue.example' });
});
afterAll(async () => live.close());

/** The HTTP status an upgrade to this exact URL gets: 101 when the socket opens. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}

async function tokenIdOf(token: string): Promise<string> {
  const actor = live.runtime.tokens.authenticate(token);
  if (!actor) throw new Error('token does not authenticate');
  return actor.tokenId;
}

describe('websocket upgrade', () => {
  it('refuses an upgrade without a token, with an unknown token and with a revoked token: 401, no socket', async () => {
    expect(await live.refused(undefined)).toBe(401);
    expect(await live.refused('dlg_not-a-real-token')).toBe(401);
    const token = await live.token('delegate', 'europol');
    await revokeToken(live.runtime.store, await tokenIdOf(token), { ...SYSTEM_ACTOR }, 'revoke');
    expect(await live.refused(token)).toBe(401);
  });

  it('refuses an origin outside the allow-list with 403 before upgrading', async () => {
    const token = await live.token('delegate', 'europol');
    expect(await live.refused(token, { origin: 'https://evil.example' })).toBe(403);
    const allowed = await live.connect(token, { origin: 'https://dialogue.example' });
    allowed.close();
  });

  it('accepts the token as ?token= for browsers, which cannot set headers', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'), { query: true });
    client.send({ type: 'ping' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
    client.close();
  });

  it('takes a token from the query only as a parameter spelt exactly token=, never tok%65n=, %74oken=, TOKEN= or twice', async () => {
    const token = await live.token('delegate', 'aseanapol');
    expect(await upgradeStatus(`${live.url}?token=${token}`)).toBe(101);
    for (const query of [
      `tok%65n=${token}`,
      `%74oken=${token}`,
      `TOKEN=${token}`,
      `token=${token}&token=${token}`,
      `x=${token}`,
    ]) {
      expect(await upgradeStatus(`${live.url}?${query}`), query).toBe(401);
    }
  });

  it('closes the socket over the per-token cap with 1008', async () => {
    const token = await live.token('delegate', 'interpol');
    const first = await live.connect(token);
    const second = await live.connect(token);
    const third = await live.connect(token);
    expect((await third.closed).code).toBe(1008);
    first.close();
    second.close();
  });
});

describe('websocket origins without ALLOWED_ORIGINS', () => {
  let own: LiveContext;
  let port: number;
  beforeAll(async () => {
    own = await createLiveApp({ PUBLIC_URL: 'https://dialogue.example/app/' });
    port = Number(new URL(own.url).port);
  });
  afterAll(async () => own.close());

  const status = async (origin: string, host?: string) =>
    upgradeStatus(`${own.url}?token=${await own.token('delegate', 'europol')}`, { origin, ...(host ? { host } : {}) });

  it('refuses a DNS-rebinding page, whose Host and Origin both name its own site', async () => {
    expect(await status('http://evil.example', 'evil.example')).toBe(403);
    expect(await status(`http://evil.example:${port}`, `evil.example:${port}`)).toBe(403);
  });

  it("refuses the public host with another scheme or a path, and accepts the public URL's origin", async () => {
    expect(await status('http://dialogue.example', 'dialogue.example')).toBe(403);
    expect(await status('https://dialogue.example/app', 'dialogue.example')).toBe(403);
    expect(await status('https://dialogue.example')).toBe(101);
    expect(await status('https://dialogue.example:443', 'anything.example')).toBe(101);
  });

  it('accepts a loopback origin on the port the server listens on, and refuses one on another port', async () => {
    expect(await status(`http://127.0.0.1:${port}`)).toBe(101);
    expect(await status(`http://localhost:${port}`)).toBe(101);
    expect(await status(`http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`)).toBe(403);
    expect(await status('null')).toBe(403);
  });
});

describe('websocket messages', () => {
  it('answers bad JSON with an error and keeps the socket open', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'));
    client.send('{not json');
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'bad-message' });
    client.send({ type: 'subscribe', topic: 'group:strategic', extra: true });
    expect(await client.next((m) => m.type === 'error', 1)).toMatchObject({ code: 'bad-message' });
    client.send({ type: 'ping' });
    await client.next((m) => m.type === 'pong');
    client.close();
  });

  it('closes the socket with 1009 on a frame over 64 KiB', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'));
    client.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(64 * 1024) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('refuses the log to a delegate (forbidden) and an unknown group (not-found), and stays open', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'));
    expect(await client.subscribe('log')).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await client.subscribe('group:nowhere')).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await client.subscribe('proposal:nothing-here')).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await client.subscribe('weather:today')).toMatchObject({ type: 'error', code: 'bad-message' });
    expect(await client.subscribe('group:strategic')).toMatchObject({ type: 'subscribed', topic: 'group:strategic' });
    expect(await client.subscribe('group:strategic')).toMatchObject({ type: 'error', code: 'already-subscribed' });
    client.close();
  });

  it('refuses a since past the head of the log (bad-message), which would otherwise skip events unseen', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'));
    const head = live.app.liveHub.published;
    const ahead = await client.subscribe('group:strategic', head + 3);
    expect(ahead).toMatchObject({
      type: 'error',
      code: 'bad-message',
      topic: 'group:strategic',
      message: expect.stringContaining(`past the head of the log (${head})`),
    });
    expect(await client.subscribe('group:strategic', head)).toMatchObject({ type: 'subscribed', position: head });
    client.close();
  });

  it('delivers events of every frame size intact', async () => {
    const client = await live.connect(await live.token('delegate', 'europol'));
    await client.subscribe('group:strategic');
    const texts = ['s', 'm'.repeat(1000), 'l'.repeat(100_000)];
    for (const text of texts) await live.runtime.store.append(note('strategic', 'dialogue', text));
    await client.reach('group:strategic', live.app.liveHub.published);
    expect(client.events('group:strategic').map((m) => m.event?.data.text)).toEqual(texts);
    client.close();
  });

  it('gives the log to auditors only (the contract: "every event; auditor only")', async () => {
    const auditor = await live.connect(await live.token('auditor'));
    const subscribed = await auditor.subscribe('log');
    expect(subscribed).toMatchObject({ type: 'subscribed', topic: 'log', position: live.app.liveHub.published });
    auditor.close();
    const secretariat = await live.connect(await live.token('secretariat'));
    expect(await secretariat.subscribe('log')).toMatchObject({
      type: 'error',
      code: 'forbidden',
      message: 'the log topic is for auditors',
    });
    expect(await secretariat.subscribe('group:strategic')).toMatchObject({ type: 'subscribed' });
    secretariat.close();
  });
});

describe('since and the log written by another process', () => {
  it("takes a since up to the log's own head, even before this server has published what another process wrote", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-since-'));
    const file = path.join(dir, 'd.sqlite');
    const server = await createLiveApp({}, file);
    const other = await createTestApp({ databaseUrl: file });
    try {
      const client = await server.connect(await server.token('delegate', 'europol'));
      await other.token('delegate', 'afripol');
      const head = other.runtime.store.reader.head().position;
      expect(head).toBeGreaterThan(server.app.liveHub.published);
      expect(await client.subscribe('group:strategic', head)).toMatchObject({ type: 'subscribed', position: head });
      client.close();
    } finally {
      await other.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
