import websocket from '@fastify/websocket';
import { isIPv4 } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { Forbidden } from '../errors';
import type { Runtime } from '../runtime';
import { serveConnection } from './connection';
import { LiveHub } from './hub';
import { CLOSE } from './protocol';
import { viewResolver } from './views';

/** Largest client frame; a bigger one closes the socket with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;

export type LiveConfig = Pick<
  Config,
  | 'ALLOWED_ORIGINS'
  | 'PUBLIC_URL'
  | 'WS_MAX_BUFFERED_BYTES'
  | 'WS_MAX_CONNECTIONS_PER_TOKEN'
  | 'WS_HEARTBEAT_MS'
  | 'WS_MESSAGES_PER_SECOND'
  | 'WS_MESSAGE_BURST'
>;

/** Which browser origins may open a websocket: the configured list, else the public URL's origin and loopback. */
export interface OriginPolicy {
  /** ALLOWED_ORIGINS, as origins (`https://host[:port]`, default port left out). */
  allowed: readonly string[];
  /** PUBLIC_URL's origin. */
  publicOrigin: string | undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));
}

/**
 * Cross-site websocket hijacking needs a browser, and browsers always send `Origin`: a request without one
 * comes from a non-browser client and is judged by its token alone. An origin is compared whole (scheme,
 * host, port), never with the `Host` header, which a DNS-rebinding page controls as well as its origin.
 * Without a configured list, the public URL's origin is allowed, and a loopback origin on the port the
 * request came in on (a browser on the server's own machine).
 */
export function originAllowed(
  origin: string | undefined,
  localPort: number | undefined,
  policy: OriginPolicy,
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // `null` (sandboxed frames, files) parses to an opaque origin; a path or credentials are not an origin.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.href !== `${url.origin}/`) return false;
  if (policy.allowed.length > 0) return policy.allowed.includes(url.origin);
  if (url.origin === policy.publicOrigin) return true;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return isLoopback(url.hostname) && port === localPort;
}

/**
 * Registers @fastify/websocket. It must come before the auth hook: the plugin marks upgrade requests in its
 * own onRequest hook, and only marked requests get their socket destroyed after an error response (a 401
 * upgrade would otherwise leave its connection open). On shutdown every socket is closed with 1001.
 */
export async function registerWebsocket(app: FastifyInstance): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false },
    // A client breaking the protocol (a frame over 64 KiB, bad UTF-8...) is the client's doing: ws has already
    // closed its socket with the matching code (1009, 1007...), so it is noted, not logged as our error.
    errorHandler(error, socket, request) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        request.log.info({ code }, `websocket closed for a protocol error: ${error.message}`);
        return;
      }
      request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(CLOSE.goingAway, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });
}

/**
 * `GET /ws` (contract section 4): the token is checked at the upgrade by the app's auth hook (401, no
 * socket), the origin by this route (403, no socket); only then is the connection upgraded.
 */
export async function registerLive(app: FastifyInstance, runtime: Runtime, config: LiveConfig): Promise<LiveHub> {
  const hub = new LiveHub(
    runtime.store,
    runtime.directory,
    runtime.tokens,
    viewResolver(runtime.proposals, runtime.actionItems, (streamId) => runtime.store.version(streamId), runtime.clock),
    {
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
      maxConnectionsPerToken: config.WS_MAX_CONNECTIONS_PER_TOKEN,
      heartbeatMs: config.WS_HEARTBEAT_MS,
      tailMs: 100,
      messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
      messageBurst: config.WS_MESSAGE_BURST,
      log: (error, what) => app.log.error({ err: error }, what),
    },
  );
  // The HTTP rate limit's own counter, keyed by the upgrade request's token.
  const rateLimit = app.createRateLimit();
  app.decorate('liveHub', hub);
  app.addHook('onClose', async () => hub.close());
  const policy: OriginPolicy = {
    allowed: config.ALLOWED_ORIGINS,
    publicOrigin: config.PUBLIC_URL === undefined ? undefined : new URL(config.PUBLIC_URL).origin,
  };
  const checkOrigin = async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (!originAllowed(typeof origin === 'string' ? origin : undefined, request.raw.socket.localPort, policy)) {
      throw new Forbidden('this origin may not open a websocket');
    }
  };
  app.get('/ws', { websocket: true, config: { tokenInQuery: true }, onRequest: checkOrigin }, (socket, request) =>
    serveConnection(
      hub,
      socket,
      request.actor,
      async () => {
        const limit = await rateLimit(request);
        return !limit.isAllowed && limit.isExceeded ? limit.ttlInSeconds : null;
      },
      (error) => request.log.error({ err: error }, 'a websocket message could not be answered'),
    ),
  );
  hub.start();
  return hub;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live hub (tests read its state; nothing else should). */
    liveHub: LiveHub;
  }
}
