import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

const READY = { status: 'ready', checks: { database: 'ok', migrations: 'ok', live: 'ok' } };

describe('GET /ready', () => {
  it('answers ready without a token on SQLite', async () => {
    ctx = await createTestApp({ postgres: false });
    const response = await ctx.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(READY);
  });

  it('answers 503 problem+json naming the check when the database was migrated by newer code', async () => {
    ctx = await createTestApp({ postgres: false });
    ctx.runtime.db.sqlite
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('9999_from_the_future', new Date().toISOString());
    const response = await ctx.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 503,
      detail: 'not ready: migrations failing',
      checks: { database: 'ok', migrations: 'failing', live: 'ok' },
    });
  });

  it('answers ready on PostgreSQL once the tail runs, and 503 when the tail has stopped', async () => {
    ctx = await createTestApp({ postgres: true });
    const ready = await ctx.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual(READY);
    await ctx.app.logTail?.stop();
    const stopped = await ctx.app.inject({ method: 'GET', url: '/ready' });
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toMatchObject({ checks: { database: 'ok', migrations: 'ok', live: 'failing' } });
  });

  it('answers 503 on PostgreSQL when the shared log was migrated by newer code', async () => {
    ctx = await createTestApp({ postgres: true });
    await ctx.runtime.store.remote?.pool.query("INSERT INTO dialogue_migrations (name) VALUES ('9999_future')");
    const response = await ctx.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ checks: { migrations: 'failing' } });
  });
});
