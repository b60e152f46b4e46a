import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { type Clock, loadConfig } from '../../src/config';
import type { Role } from '../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../src/runtime';
import { issueToken } from '../../src/tokens/tokens';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { freshPostgresUrl } from './postgres';

/** A clock tests can set and move. */
export interface TestClock {
  clock: Clock;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-03-02T09:00:00.000Z'): TestClock {
  let now = new Date(start).getTime();
  return {
    clock: () => new Date(now),
    set: (iso) => {
      now = new Date(iso).getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface TestContext {
  app: FastifyInstance;
  runtime: Runtime;
  time: TestClock;
  /** Issues a token through the real token path and returns the bearer secret. */
  token(role: Role, entityId?: string | null, person?: string): Promise<string>;
  /** Authorization header for a token. */
  auth(token: string): { authorization: string };
  close(): Promise<void>;
}

/** Which store the suite runs on: `TEST_STORE=postgres` runs every test app on the run's PostgreSQL. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A real app on a real database: SQLite `:memory:` unless a file is given, or, with `postgres: true` or
 * TEST_STORE=postgres, a new schema of its own on the run's PostgreSQL server.
 */
export async function createTestApp(
  options: { databaseUrl?: string; postgres?: boolean; env?: Record<string, string>; start?: string } = {},
): Promise<TestContext> {
  const onPostgres = options.postgres ?? (TEST_STORE === 'postgres' && options.databaseUrl === undefined);
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? (onPostgres ? await freshPostgresUrl() : ':memory:'),
    LOG_LEVEL: 'silent',
    // Tests fire deadlines themselves (`app.scheduler.runDue()` after moving the clock), when they choose.
    SCHEDULER_INTERVAL_MS: '0',
    ...options.env,
  });
  const time = testClock(options.start);
  const runtime = await openRuntime(config, time.clock);
  const app = await buildApp({ runtime, config });
  await app.ready();
  let issued = 0;
  return {
    app,
    runtime,
    time,
    token: async (role, entityId = null, person) => {
      issued += 1;
      const { token } = await issueToken(
        runtime.store,
        runtime.directory,
        { role, entityId, person: person ?? `${role} ${entityId ?? 'person'} ${issued}` },
        { ...SYSTEM_ACTOR },
        `test-${issued}`,
      );
      return token;
    },
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}
