import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import type { Config } from '../config';

/** Marks, between the route transform and the document transform, an operation whose body may be left out. */
const OPTIONAL_BODY = 'x-optional-body';

/**
 * @fastify/swagger marks every request body required; a route whose body schema accepts no body at all
 * (`optionalBody`) is marked here, and its `requestBody.required` turned off below.
 */
const transform: SwaggerTransform = (input) => {
  const result = jsonSchemaTransform(input);
  const body: unknown = input.schema.body;
  if (body instanceof z.ZodType && body.safeParse(undefined).success) {
    return { ...result, schema: { ...result.schema, [OPTIONAL_BODY]: true } };
  }
  return result;
};

type Operation = { requestBody?: { required?: boolean } } & Record<string, unknown>;

const transformObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input);
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods ?? {}) as Operation[]) {
      if (typeof operation !== 'object' || operation === null || !(OPTIONAL_BODY in operation)) continue;
      delete operation[OPTIONAL_BODY];
      if (operation.requestBody) operation.requestBody.required = false;
    }
  }
  return document;
};

/** The documentation routes hold no data: they answer without a token, so a browser can open the UI. */
function isDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

/** The OpenAPI document is generated from the routes' zod schemas: one source of truth. */
export async function registerOpenApi(app: FastifyInstance, config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): Promise<void> {
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
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
}

/** Where clients reach the service: PUBLIC_URL when set, else the address the server listens on. */
function serverUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_URL !== undefined) return config.PUBLIC_URL.replace(/\/$/, '');
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}
