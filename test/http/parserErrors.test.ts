import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parserErrorResponse } from '../../src/http/problem';
import { createTestApp, type TestContext } from '../support/app';

let t: TestContext;
let port: number;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => t.close());

/** Sends raw bytes and reads until the server closes the connection. */
function exchange(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    // A reset after the answer (the server closed while the request was still arriving) is not a failure.
    socket.on('error', (error) => {
      if (received === '') reject(error);
    });
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

describe("the HTTP parser's own errors", () => {
  const cases = [
    { name: 'a malformed request line', request: 'GARBAGE-LINE\r\n\r\n', status: 400, secret: 'GARBAGE' },
    {
      name: 'a header block over 16 KiB',
      request: `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'secret'.repeat(4000)}\r\n\r\n`,
      status: 431,
      secret: 'secretsecret',
    },
    {
      name: 'a bad character in a header name',
      request: 'GET /health HTTP/1.1\r\nHost: x\r\nBad Secret: v\r\n\r\n',
      status: 400,
      secret: 'Secret',
    },
    {
      name: 'a control character in a header value',
      request: 'GET /health HTTP/1.1\r\nHost: x\r\nX-Note: se\u0001cret\r\n\r\n',
      status: 400,
      secret: 'cret',
    },
  ];
  for (const { name, request, status, secret } of cases) {
    it(`answers ${name} with a ${status} problem+json that repeats nothing of the request, and closes`, async () => {
      const response = await exchange(request);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers.connection).toBe('close');
      expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
      const problem = JSON.parse(response.body);
      expect(problem).toEqual({
        type: expect.stringMatching(/^https:\/\/dialogue\.invalid\/problems\//),
        title: expect.any(String),
        status,
        detail: expect.any(String),
      });
      expect(response.body).not.toContain(secret);
    });
  }

  it('answers a request too slow to arrive with a 408 problem (the timeout itself is 30 s: its answer is checked alone)', () => {
    const [head = '', body = ''] = parserErrorResponse('ERR_HTTP_REQUEST_TIMEOUT').split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 408 Request Timeout',
      'Content-Type: application/problem+json',
      `Content-Length: ${body.length}`,
      'Connection: close',
    ]);
    expect(JSON.parse(body)).toMatchObject({ status: 408, title: 'Request Timeout' });
  });

  it('still serves the next connection', async () => {
    const response = await exchange('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(200);
  });
});
