import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { Runtime } from '../runtime';
import { requireRole } from './auth';
import { problems } from './openapi';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (one per app: tests build many apps in one process). */
    metrics: Registry;
  }
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The registry and the HTTP counters, registered before the routes so that every route is counted. The
 * route's pattern is the label, never the URL (no ids, no tokens); a request no route matched is `unmatched`.
 */
export function registerMetrics(app: FastifyInstance): void {
  const registry = new Registry();
  app.decorate('metrics', registry);
  const requests = new Counter({
    name: 'dialogue_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'dialogue_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    durations.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
}

/** The store's, the live hub's and the scheduler's metrics, and `GET /metrics` (auditor, secretariat). */
export function metricsRoute(parent: FastifyInstance, runtime: Runtime): void {
  const registry = parent.metrics;
  storeMetrics(registry, runtime);
  postgresMetrics(registry, runtime);
  liveMetrics(parent, registry);
  const lag = new Histogram({
    name: 'dialogue_scheduler_lag_seconds',
    help: 'How late each deadline fired after it was due (long after downtime: it fires at the next start)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 60, 600, 3600, 86_400],
    registers: [registry],
  });
  parent.scheduler.onFired = (lagMs) => lag.observe(Math.max(0, lagMs) / 1000);

  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get('/metrics', {
    schema: {
      tags: ['service'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics of this instance, in the text exposition format (auditor, secretariat)',
      produces: ['text/plain'],
      response: { 200: z.string(), ...problems(403) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'auditor', 'secretariat');
      const text = await registry.metrics();
      return reply
        .type(registry.contentType)
        .serializer((payload) => String(payload))
        .send(text);
    },
  });
}

function storeMetrics(registry: Registry, runtime: Runtime): void {
  const { store } = runtime;
  const appendSeconds = new Histogram({
    name: 'dialogue_append_duration_seconds',
    help: "An append's time from its call to its answer: the wait for its group commit, the commit, and with PostgreSQL the replica's fold",
    buckets: SECONDS,
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'dialogue_group_commit_duration_seconds',
    help: "A group commit's time in the store (SQLite: its transaction; PostgreSQL: its transaction in the shared log)",
    buckets: SECONDS,
    registers: [registry],
  });
  const batchSizes = new Histogram({
    name: 'dialogue_group_commit_appends',
    help: 'Appends committed together in one group commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  store.onAppended = (seconds) => appendSeconds.observe(seconds);
  store.onBatch = (appends, seconds) => {
    commitSeconds.observe(seconds);
    batchSizes.observe(appends);
  };
  new Gauge({
    name: 'dialogue_log_head_position',
    help: "The log's head as this instance's store holds it",
    registers: [registry],
    collect() {
      this.set(store.reader.head().position);
    },
  });
  new Gauge({
    name: 'dialogue_catchup_backlog_events',
    help: "Events of the shared log this instance's replica has not folded yet (0 on SQLite, NaN while the log cannot be read)",
    registers: [registry],
    async collect() {
      if (!store.remote) return this.set(0);
      // NaN, not 0, while the shared log cannot be read: the backlog is then unknown.
      const shared = await store.remote.head().catch(() => undefined);
      this.set(shared === undefined ? Number.NaN : Math.max(0, shared.position - store.reader.head().position));
    },
  });
  new Gauge({
    name: 'dialogue_db_pool_connections',
    help: "PostgreSQL connections of this instance's pool, by state (none on SQLite)",
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = store.remote?.pool;
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}

/**
 * A counter of tallies this instance keeps itself, one series per key, read at each scrape (none while
 * `read` gives nothing: on SQLite).
 */
function tallyCounter<K extends string>(
  registry: Registry,
  counter: { name: string; help: string; label: string; keys: readonly K[] },
  read: () => Readonly<Record<K, number>> | undefined,
): void {
  const counted = new Map<K, number>();
  new Counter({
    name: counter.name,
    help: counter.help,
    labelNames: [counter.label],
    registers: [registry],
    collect() {
      const tallies = read();
      if (!tallies) return;
      for (const key of counter.keys) {
        this.inc({ [counter.label]: key }, tallies[key] - (counted.get(key) ?? 0));
        counted.set(key, tallies[key]);
      }
    },
  });
}

/** On PostgreSQL: how this instance's group commits were decided, and its search index's failed follows. */
function postgresMetrics(registry: Registry, runtime: Runtime): void {
  tallyCounter(
    registry,
    {
      name: 'dialogue_pg_append_batches_total',
      help: "Group commits on PostgreSQL by path: 'head' (one round trip at the replica's head) or 'locked' (decided under the head row's lock)",
      label: 'path',
      keys: ['head', 'locked'],
    },
    () => runtime.store.remote?.batches,
  );
  tallyCounter(
    registry,
    {
      name: 'dialogue_pg_search_follow_failures_total',
      help: "Failed attempts of this instance to bring PostgreSQL's search index up to the log, by reason: 'unavailable' (the database could not be reached) or 'other'",
      label: 'reason',
      keys: ['unavailable', 'other'],
    },
    () => runtime.pgSearch?.failures,
  );
}

function liveMetrics(app: FastifyInstance, registry: Registry): void {
  const hub = app.liveHub;
  new Gauge({
    name: 'dialogue_ws_connections',
    help: 'Open websocket connections',
    registers: [registry],
    collect() {
      this.set(hub.connections);
    },
  });
  let counted = 0;
  new Counter({
    name: 'dialogue_ws_deliveries_total',
    help: 'Live event frames sent to websocket clients',
    registers: [registry],
    collect() {
      const now = hub.deliveries;
      this.inc(now - counted);
      counted = now;
    },
  });
}
