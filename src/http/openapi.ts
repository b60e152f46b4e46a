import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import type { Config } from '../config';
import { buildAsyncApiDocument } from '../live/asyncapi';
import { serviceUrl } from '../tokens/signInLink';
import { completeDocument, type DocumentedOperation, OPERATION_FACTS, requestHeaders } from './openapiDocument';
import { Problem, TITLES } from './problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with an `ETag` of the item's version (documented in the OpenAPI document). */
    etag?: boolean;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/**
 * Response entries for error statuses, each with the shared Problem schema, for a route's `response`:
 * `response: { 200: View, ...problems(403, 404) }`. The statuses every route shares are added centrally.
 */
export function problems<S extends number>(...statuses: S[]) {
  const entry = (status: number) => ({
    description: TITLES[status] ?? 'Error',
    content: { 'application/problem+json': { schema: Problem } },
  });
  return Object.fromEntries(statuses.map((status) => [status, entry(status)])) as Record<S, ReturnType<typeof entry>>;
}

/** The error statuses any route can answer: validation, authentication, rate limits, the store, and for writes their preconditions. */
function sharedStatuses(method: string, isPublic: boolean): number[] {
  const statuses = [400, 429, 500];
  if (!isPublic) statuses.push(401, 503);
  // 409 stale expectedVersion, 412 stale If-Match, 413/415 the body, 422 an Idempotency-Key reused.
  if (WRITE_METHODS.has(method)) statuses.push(409, 412, 413, 415, 422);
  return statuses;
}

function methodOf(route: Pick<RouteOptions, 'method'>): string {
  return (Array.isArray(route.method) ? route.method[0] : route.method)?.toUpperCase() ?? 'GET';
}

/**
 * The route's zod schemas become JSON schemas (jsonSchemaTransform); the request headers it reads become
 * documented parameters, and what the document transform needs of the route is passed on in a marker.
 */
const transform: SwaggerTransform = (input) => {
  const result = jsonSchemaTransform(input);
  // A route without a schema (the websocket upgrade) is documented as it is.
  if (!(input.schema as FastifySchema | undefined)) return result;
  const method = methodOf(input.route);
  const body: unknown = input.schema.body;
  const responses = Object.keys((input.schema.response as Record<string, unknown> | undefined) ?? {});
  const facts: DocumentedOperation = {
    write: WRITE_METHODS.has(method),
    isPublic: input.route.config?.public === true,
    // optionalBody: @fastify/swagger marks every request body required; these accept none.
    optionalBody: body instanceof z.ZodType && body.safeParse(undefined).success,
    etag: input.route.config?.etag === true,
    location: input.route.config?.location !== undefined,
    notModified: responses.includes('304'),
  };
  return { ...result, schema: { ...result.schema, headers: requestHeaders(facts), [OPERATION_FACTS]: facts } };
};

const transformObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input);
  completeDocument(document);
  return document;
};

/** The documentation routes hold no data: they answer without a token, so a browser can open the UI. */
function isDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

/** The OpenAPI document is generated from the routes' zod schemas: one source of truth. */
export async function registerOpenApi(
  app: FastifyInstance,
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dialogue backend',
        description:
          'Event-sourced collaboration service of the Dialogue on an Effective Multilateral Policing Architecture Against Global Threats.',
        version: packageJson.version,
      },
      servers: [{ url: serverUrl(config) }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform,
    transformObject,
  });
  app.addHook('onRoute', (route) => {
    if (isDocsRoute(route.url)) route.config = { ...route.config, public: true };
    if (!route.schema || route.schema.hide) return;
    const shared = problems(...sharedStatuses(methodOf(route), route.config?.public === true));
    route.schema = {
      ...route.schema,
      response: { ...shared, ...(route.schema.response as Record<string, unknown> | undefined) },
    };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  // The websocket protocol, which OpenAPI cannot describe; serialised once, as the document never changes.
  const asyncApi = JSON.stringify(buildAsyncApiDocument(serverUrl(config)));
  app.get('/docs/asyncapi.json', { schema: { hide: true }, config: { public: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(asyncApi),
  );
}

/** Where clients reach the service: PUBLIC_URL when set, else HOST:PORT (a wildcard HOST named as loopback). */
function serverUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return serviceUrl(config, '').replace(/\/$/, '');
}
