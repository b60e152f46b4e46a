import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { newId } from './eventStore/eventId';
import { z } from 'zod';
import type { Config } from './config';
import { dialogueRoutes } from './dialogue/routes';
import { FailedAuthLimit, registerAuth } from './http/auth';
import { registerIdempotency } from './http/idempotency';
import { metricsRoute, registerMetrics } from './http/metrics';
import { registerOpenApi } from './http/openapi';
import { clientErrorHandler, registerProblemHandlers, sendProblem } from './http/problem';
import { registerRateLimit } from './http/rateLimit';
import { redactUrl } from './http/redact';
import { registerLive, registerWebsocket } from './live/routes';
import { actionItemRoutes } from './actionItems/routes';
import { auditRoutes } from './audit/routes';
import { loadSigningKey, signingKeyFile } from './audit/signing';
import { registerScheduler } from './deadlines/register';
import { registerReplica } from './eventStore/postgres/register';
import { editionRoutes } from './editions/routes';
import { declarationRoutes } from './editions/declaration/routes';
import { proposalRoutes } from './proposals/routes';
import type { Runtime } from './runtime';
import { TOKEN_PREFIX } from './tokens/tokens';
import { webRoutes } from './web/server/routes';

export interface AppDeps {
  runtime: Runtime;
  config: Config;
  /** A pino logger options object, or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** How long a connection, a request and an idle keep-alive connection may take (a slow client holds nothing for long). */
export const SERVER_TIMEOUTS_MS = { connection: 60_000, request: 30_000, keepAlive: 72_000 } as const;

/** Builds the HTTP application. It never listens: the server does, and tests use `inject` or port 0. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // request.ip (the address the failed-authentication and rate limits count) comes through these proxies.
    trustProxy: deps.config.TRUST_PROXY,
    bodyLimit: 64 * 1024,
    connectionTimeout: SERVER_TIMEOUTS_MS.connection,
    requestTimeout: SERVER_TIMEOUTS_MS.request,
    keepAliveTimeout: SERVER_TIMEOUTS_MS.keepAlive,
    requestIdHeader: false,
    clientErrorHandler,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      // A client's own id is echoed, logged and recorded in the log's metadata: never one that holds a token.
      return typeof given === 'string' && REQUEST_ID.test(given) && !given.toLowerCase().includes(TOKEN_PREFIX)
        ? given
        : newId(12);
    },
    // A path that cannot be decoded (`/proposals/%E0%A4%A`) is refused before routing: a 400 problem too,
    // which does not repeat the URL (its query may hold a token).
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === 'FST_ERR_BAD_URL'
          ? "the request's path cannot be decoded (a malformed %-escape or invalid UTF-8)"
          : 'the request cannot be routed';
      void sendProblem(reply, 400, message, { errors: [{ path: 'url', message }] });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerProblemHandlers(app);
  // A JSON content type over an empty body (clients that set it on every request, a DELETE included) is a
  // request without a body, not malformed JSON: routes whose fields are all optional take it, the others
  // answer with their validation error. Anything else goes to Fastify's own parser (prototype poisoning
  // refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
  // The contract's "unknown query parameters are a 400" on routes that take none (websocket upgrades
  // take `?token=`, and the documentation routes have no schema of their own).
  app.addHook('onRoute', (route) => {
    if (route.schema && !route.schema.querystring && !route.config?.tokenInQuery) {
      route.schema = { ...route.schema, querystring: z.strictObject({}) };
    }
  });
  await registerWebsocket(app);
  registerMetrics(app);
  registerReplica(app, deps.runtime, deps.config);
  registerAuth(
    app,
    deps.runtime.tokens,
    new FailedAuthLimit(deps.config.AUTH_FAILURES_MAX, deps.config.RATE_LIMIT_WINDOW_MS),
  );
  await registerRateLimit(app, deps.config);
  registerIdempotency(app, deps.runtime.commands.idempotency);
  await registerOpenApi(app, deps.config);

  await app.register(async (scope) => dialogueRoutes(scope, deps.runtime));
  await app.register(async (scope) => proposalRoutes(scope, deps.runtime, deps.config.PILLARS));
  await app.register(async (scope) => actionItemRoutes(scope, deps.runtime));
  await app.register(async (scope) => editionRoutes(scope, deps.runtime));
  await app.register(async (scope) => declarationRoutes(scope, deps.runtime));
  // The checkpoint key signs checkpoints and adopted declarations alike.
  const key = loadSigningKey(signingKeyFile(deps.config.DATABASE_URL, deps.config.SIGNING_KEY_FILE));
  await app.register(async (scope) => auditRoutes(scope, deps.runtime, deps.config, key));
  await registerLive(app, deps.runtime, deps.config);
  await app.register(async (scope) => webRoutes(scope, deps.config));
  registerScheduler(app, deps.runtime, deps.config, key);
  await app.register(async (scope) => metricsRoute(scope, deps.runtime));
  return app;
}

/** Logger options for the server: request ids in every line, never a token. */
export function loggerOptions(level: Config['LOG_LEVEL']): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        requestId: request.id,
      }),
    },
  };
}
