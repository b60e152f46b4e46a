import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig, systemClock } from '../../src/config';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { openRuntime, type Runtime } from '../../src/runtime';
import { issueToken } from '../../src/tokens/tokens';
import { MEMBERS } from './domain';

/** Our real service (durable settings) listening on a loopback port, as `npm start` would run it. */
export interface BenchServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(databaseFile: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const config = loadConfig({
    DATABASE_URL: databaseFile,
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: 'FULL',
    // The benchmark measures throughput, not the limiter: one load generator stands for many callers.
    RATE_LIMIT_MAX: '1000000000',
    WS_MAX_CONNECTIONS_PER_TOKEN: '100000',
    ...env,
  });
  const runtime = await openRuntime(config, systemClock);
  const app = await buildApp({ runtime, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    runtime,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

/** Delegate tokens, one per index, for member entities in turn. */
export async function delegateTokens(runtime: Runtime, count: number): Promise<{ token: string; entityId: string }[]> {
  const tokens: { token: string; entityId: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const entityId = MEMBERS[i % MEMBERS.length] ?? 'europol';
    const { token } = await issueToken(
      runtime.store,
      runtime.directory,
      { role: 'delegate', entityId, person: `Bench delegate ${i}` },
      { ...SYSTEM_ACTOR },
      `bench-token-${i}`,
    );
    tokens.push({ token, entityId });
  }
  return tokens;
}

/** Submits proposals over HTTP, authored by the given tokens in turn; returns their ids and authors. */
export async function submitProposals(
  url: string,
  tokens: { token: string; entityId: string }[],
  count: number,
  groupId = 'strategic',
): Promise<{ id: string; authorEntityId: string }[]> {
  const proposals: { id: string; authorEntityId: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const author = tokens[i % tokens.length];
    if (!author) throw new Error('no tokens');
    const response = await fetch(`${url}/groups/${groupId}/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${author.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Shared alert format for cross-border notices, draft ${i}`,
        body: 'Regional bodies agree to exchange alerts in one structured format so that each can route them without re-keying.',
      }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 201 || typeof body.id !== 'string') {
      throw new Error(`POST /groups/${groupId}/proposals answered ${response.status}: ${JSON.stringify(body)}`);
    }
    proposals.push({ id: body.id, authorEntityId: author.entityId });
  }
  return proposals;
}

/** True when the service has the routes a scenario needs (other slices may still be building them). */
export function hasRoute(app: FastifyInstance, method: 'GET' | 'POST', url: string): boolean {
  return app.hasRoute({ method, url });
}

export function dbFile(dir: string, name: string): string {
  return path.join(dir, `${name}.sqlite`);
}
