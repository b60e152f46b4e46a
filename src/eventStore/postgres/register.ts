import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import type { Runtime } from '../../runtime';
import { StoreUnavailable } from '../../errors';
import { LogTail } from './tail';

declare module 'fastify' {
  interface FastifyInstance {
    /** With PostgreSQL: the tail that keeps this instance's replica up with the shared log. */
    logTail: LogTail | null;
  }
}

/** Paths served without reading the views: liveness, readiness, the page's files, the API documents. */
const WITHOUT_VIEWS = /^\/(health|ready|metrics|app(\/|$)|docs(\/|$)|$)/;

/**
 * With PostgreSQL, every request that reads the views first brings this instance's replica up to the
 * shared log (one query when nothing is new): a revocation, a removal from a group or any change made on
 * another instance takes effect here from the next request on. The tail also follows the log between
 * requests, so live clients get other instances' events without asking. Registered before authentication.
 */
export function registerReplica(app: FastifyInstance, runtime: Runtime, config: Config): void {
  const remote = runtime.store.remote;
  if (!remote) {
    app.decorate('logTail', null);
    return;
  }
  const tail = new LogTail(runtime.store, remote.url, remote.channel, config.TAIL_POLL_MS);
  app.decorate('logTail', tail);
  app.addHook('onReady', async () => tail.start());
  app.addHook('onClose', async () => tail.stop());
  app.addHook('onRequest', async (request) => {
    if (WITHOUT_VIEWS.test(request.url)) return;
    try {
      await runtime.store.catchUp();
    } catch {
      throw new StoreUnavailable('the shared log cannot be read right now; retry later');
    }
  });
}
