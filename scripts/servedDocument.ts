import { buildApp } from '../src/app';
import { loadConfig, systemClock } from '../src/config';
import { openRuntime } from '../src/runtime';

/**
 * The OpenAPI document the app serves at /docs/json, from the app itself built on an in-memory database:
 * what the tools check or generate from is what the routes' schemas produce, with no server to start.
 */
export async function servedOpenApiDocument(): Promise<unknown> {
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent' });
  const runtime = await openRuntime(config, systemClock);
  try {
    const app = await buildApp({ runtime, config });
    try {
      await app.ready();
      return app.swagger();
    } finally {
      await app.close();
    }
  } finally {
    await runtime.close();
  }
}
