import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

let t: TestContext;
let port: number;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => t.close());

/** A real HTTP exchange over a socket: the raw headers as they went on the wire, and the bytes of the body. */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          rawHeaders: response.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function headerNames(rawHeaders: string[]): string[] {
  return rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
}

it('answers a matching If-None-Match with a 304 that has its ETag but no body and no content headers', async () => {
  const europol = await t.token('delegate', 'europol');
  const id = await client(t).submit(europol, 'strategic');
  const fresh = await rawGet(`/proposals/${id}`, t.auth(europol));
  expect(fresh.status).toBe(200);
  const etag = fresh.rawHeaders[2 * headerNames(fresh.rawHeaders).indexOf('etag') + 1];
  expect(etag).toBe('W/"1"');

  const res = await rawGet(`/proposals/${id}`, { ...t.auth(europol), 'if-none-match': 'W/"1"' });
  expect(res.status).toBe(304);
  expect(res.body).toBe('');
  const names = headerNames(res.rawHeaders);
  expect(names).toContain('etag');
  expect(names).not.toContain('content-type');
  expect(names).not.toContain('content-length');
});
