import { buildApp, loggerOptions } from './app';
import { loadConfig, systemClock } from './config';
import { openRuntime } from './runtime';
import { isPostgresUrl, redactPostgresUrl } from './eventStore/postgres/url';
import { readLatestCheckpoint } from './audit/checkpoint';
import { checkpointDirectory } from './audit/checkpointWriter';
import { loadSigningKey, signingKeyFile } from './audit/signing';
import { checkpointProblem, durabilityProblem } from './startupGuards';
import { webBundle } from './web/server/bundle';

/** Reads the configuration, opens the database, serves, and closes gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const postgres = isPostgresUrl(config.DATABASE_URL);
  if (postgres && !config.SIGNING_KEY_FILE)
    throw new Error(
      'with PostgreSQL, set SIGNING_KEY_FILE: every instance signs checkpoints and declarations with the same key',
    );
  const runtime = await openRuntime(config, systemClock);
  const unsafe = durabilityProblem(
    runtime.db.settings,
    // With PostgreSQL, SQLite holds a disposable replica; the log's durability is the server's.
    config.DATABASE_URL === ':memory:' || postgres,
    process.env.SQLITE_SYNCHRONOUS !== undefined,
  );
  const checkpoints = checkpointDirectory(config.DATABASE_URL, config.CHECKPOINT_DIR);
  const key = loadSigningKey(signingKeyFile(config.DATABASE_URL, config.SIGNING_KEY_FILE));
  const diverged =
    checkpoints === null
      ? null
      : checkpointProblem(runtime.store.reader, readLatestCheckpoint(checkpoints), key.publicKeyPem);
  const refusal =
    unsafe ??
    (diverged && `${diverged} (see ${checkpoints}/latest.json; after a deliberate restore, move that folder aside)`);
  if (refusal) {
    await runtime.close();
    throw new Error(refusal);
  }
  // The page is built before listening: a broken build stops the start, and the first visit does not wait.
  await webBundle();
  const app = await buildApp({ runtime, config, logger: loggerOptions(config.LOG_LEVEL) });
  app.log.info(
    { database: postgres ? redactPostgresUrl(config.DATABASE_URL) : config.DATABASE_URL, ...runtime.db.settings },
    'database opened',
  );
  if (!postgres && runtime.db.settings.synchronous !== 'FULL' && runtime.db.settings.synchronous !== 'EXTRA') {
    app.log.warn('synchronous is not FULL: an acknowledged write may be lost on power failure');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  process.stderr.write(`dialogue: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
