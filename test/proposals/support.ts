import type { LightMyRequestResponse } from 'fastify';
import type { TestContext } from '../support/app';

/** Small verbs over `inject` for the proposal tests: who calls, what, with which body and headers. */
export function client(t: TestContext) {
  const call = (
    method: 'GET' | 'POST' | 'DELETE',
    token: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...t.auth(token),
        ...headers,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  return {
    get: (token: string, url: string, headers?: Record<string, string>) => call('GET', token, url, undefined, headers),
    post: (token: string, url: string, payload?: unknown, headers?: Record<string, string>) =>
      call('POST', token, url, payload, headers),
    del: (token: string, url: string, headers?: Record<string, string>) =>
      call('DELETE', token, url, undefined, headers),
    /** Submits a proposal and returns its id (fails loudly if the submission is refused). */
    submit: async (token: string, groupId: string, body: Record<string, unknown> = {}): Promise<string> => {
      const res = await call('POST', token, `/groups/${groupId}/proposals`, {
        title: 'A proposal',
        body: 'Its text.',
        ...body,
      });
      if (res.statusCode !== 201) throw new Error(`submission refused: ${res.statusCode} ${res.body}`);
      return (res.json() as { id: string }).id;
    },
  };
}

export function problem(res: LightMyRequestResponse): {
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
} {
  return res.json();
}

/**
 * The callers of the proposal specifications, one token each: member delegates (europol, afripol, aimc), an
 * observer delegate (unodc), the chair entity of `strategic` (interpol, appointed here), the secretariat and
 * an auditor.
 */
export async function callers(t: TestContext) {
  const [europol, afripol, aimc, unodc, interpol, secretariat, auditor] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'aimc'),
    t.token('delegate', 'unodc'),
    t.token('delegate', 'interpol'),
    t.token('secretariat'),
    t.token('auditor'),
  ]);
  await client(t).post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  return { europol, afripol, aimc, unodc, interpol, secretariat, auditor };
}
