import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { MIGRATIONS } from '../../migrations/index';
import { isCurrent } from '../eventStore/postgres/migrate';
import type { Runtime } from '../runtime';
import { problems } from './openapi';
import { sendProblem } from './problem';

const Check = z.enum(['ok', 'failing']);
const Checks = z.object({
  database: Check.describe('the database answers (with PostgreSQL: the shared log and the local replica)'),
  migrations: Check.describe('every migration this code knows is applied, and none it does not know'),
  live: Check.describe('live updates follow the log (with PostgreSQL: the tail of the shared log is running)'),
});
type Checks = z.infer<typeof Checks>;

/** Migrations the SQLite database records against those of this code (a newer or an older schema is not ready). */
function sqliteMigrationsCurrent(runtime: Runtime): boolean {
  const rows = runtime.db.sqlite.prepare('SELECT name FROM kysely_migration').pluck().all() as string[];
  const known = Object.keys(MIGRATIONS);
  return rows.length === known.length && known.every((name) => rows.includes(name));
}

async function check(work: () => Promise<boolean> | boolean): Promise<'ok' | 'failing'> {
  try {
    return (await work()) ? 'ok' : 'failing';
  } catch {
    return 'failing';
  }
}

async function readiness(app: FastifyInstance, runtime: Runtime): Promise<Checks> {
  const remote = runtime.store.remote;
  const [database, migrations] = await Promise.all([
    check(async () => {
      runtime.db.sqlite.prepare('SELECT 1').get();
      if (remote) await sql`SELECT 1`.execute(remote.db);
      return true;
    }),
    check(async () => sqliteMigrationsCurrent(runtime) && (!remote || (await isCurrent(remote.db)))),
  ]);
  // With SQLite every commit feeds the live hub in this process; with PostgreSQL the tail must be up.
  const live = app.logTail === null || app.logTail.running ? 'ok' : 'failing';
  return { database, migrations, live };
}

/** Readiness for a load balancer or an orchestrator: public, a few cheap queries, no data. */
export function readyRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get('/ready', {
    config: { public: true },
    schema: {
      tags: ['service'],
      operationId: 'getReady',
      summary: 'Readiness: the database answers, migrations are current, live updates follow the log (no token)',
      description: 'Answers 503 (problem+json with the same `checks`) while any check fails; `/health` stays liveness.',
      security: [],
      response: { 200: z.object({ status: z.literal('ready'), checks: Checks }), ...problems(503) },
    },
    handler: async (_request, reply) => {
      const checks = await readiness(parent, runtime);
      const failing = Object.entries(checks)
        .filter(([, state]) => state === 'failing')
        .map(([name]) => name);
      if (failing.length > 0) return sendProblem(reply, 503, `not ready: ${failing.join(', ')} failing`, { checks });
      return { status: 'ready' as const, checks };
    },
  });
}
