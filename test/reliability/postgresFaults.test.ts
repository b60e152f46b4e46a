import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRows } from '../../src/audit/verify';
import { createTestApp, type TestContext } from '../support/app';
import { startThrowAwayPostgres, type ThrowAwayPostgres } from '../support/postgresServer';

/** A PostgreSQL server of this file's own: it is stopped and started again under load. */
let server: ThrowAwayPostgres;
let t: TestContext;
let author: string;
const TIMEOUTS = { PG_CONNECT_TIMEOUT_MS: '500', PG_STATEMENT_TIMEOUT_MS: '1000', PG_POOL_SIZE: '3' };

beforeAll(async () => {
  server = await startThrowAwayPostgres();
  t = await createTestApp({ databaseUrl: server.url, env: TIMEOUTS });
  author = await t.token('delegate', 'europol');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await server?.stop();
});

interface Outcome {
  status: number;
  id?: string;
  contentType: string;
  ms: number;
}

async function submit(key: string): Promise<Outcome> {
  const started = performance.now();
  const response = await t.app.inject({
    method: 'POST',
    url: '/groups/strategic/proposals',
    headers: { ...t.auth(author), 'idempotency-key': key },
    payload: { title: `Proposal ${key}`, body: 'Its text.' },
  });
  const body = response.json() as { id?: string };
  return {
    status: response.statusCode,
    ...(body.id ? { id: body.id } : {}),
    contentType: String(response.headers['content-type']),
    ms: performance.now() - started,
  };
}

describe('PostgreSQL faults', () => {
  it('answers 503 while the database is down, acknowledges nothing it did not commit, and recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let stop = false;
    let sent = 0;
    const writer = async () => {
      while (!stop) {
        sent += 1;
        outcomes.push(await submit(`load-${sent}`));
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.pause();
    const whileDown = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const notReady = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ checks: { database: 'failing' } });
    await server.resume();
    // Back by itself: the writers keep going until a write made after the restart is acknowledged.
    const resumedAt = outcomes.length;
    for (let i = 0; i < 200 && !outcomes.slice(resumedAt).some((o) => o.status === 201); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await Promise.all(writers);
    // The tail listens again by itself (it backs off up to 5 s between attempts).
    let ready = 503;
    for (let i = 0; i < 100 && ready !== 200; i += 1) {
      ready = (await t.app.inject({ method: 'GET', url: '/ready' })).statusCode;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);

    const down = outcomes.slice(whileDown, resumedAt);
    expect(down.length).toBeGreaterThan(0);
    expect(down.some((o) => o.status === 503)).toBe(true);
    for (const outcome of outcomes) {
      expect([201, 503]).toContain(outcome.status);
      if (outcome.status === 503) expect(outcome.contentType).toContain('application/problem+json');
      // Never a hang: a refusal comes within the configured timeouts (generous margin for a loaded machine).
      expect(outcome.ms).toBeLessThan(10_000);
    }
    expect(outcomes.slice(resumedAt).some((o) => o.status === 201)).toBe(true);

    // Every acknowledged write is in the log exactly once, and the chain verifies.
    await t.runtime.store.catchUp();
    const submitted = [...t.runtime.store.reader.iterate()].filter((e) => e.type === 'ProposalSubmitted');
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.id);
    for (const id of acknowledged) expect(submitted.filter((e) => e.streamId === `proposal-${id}`)).toHaveLength(1);
    expect(new Set(submitted.map((e) => e.streamId)).size).toBe(submitted.length);
    expect(verifyRows(t.runtime.store.reader.iterateRows()).ok).toBe(true);
  }, 60_000);

  it('answers 503 when every connection of the pool is held, not a stall, and serves again once one is free', async () => {
    const remote = t.runtime.store.remote;
    if (!remote) throw new Error('not on PostgreSQL');
    const held = await Promise.all(Array.from({ length: 3 }, () => remote.pool.connect()));
    try {
      const refused = await submit('pool-held');
      expect(refused.status).toBe(503);
      expect(refused.contentType).toContain('application/problem+json');
    } finally {
      for (const client of held) client.release();
    }
    expect((await submit('pool-free')).status).toBe(201);
  }, 30_000);
});
