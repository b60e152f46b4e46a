import { STATUS_CODES } from 'node:http';

/**
 * What the OpenAPI document needs beyond the routes' zod schemas, in one place: the request headers each
 * operation reads (parameters), the response headers each answer carries (named components), optional
 * bodies and named request bodies, from what the route transform learns of each route (its method,
 * whether it is public, what its handler sets).
 */

/** Where the route transform leaves, for the document transform, what it learned of the route. */
export const OPERATION_FACTS = 'x-operation-facts';

export interface DocumentedOperation {
  write: boolean;
  isPublic: boolean;
  /** Its body schema accepts no body at all (`optionalBody`). */
  optionalBody: boolean;
  /** Its answers carry an `ETag`. */
  etag: boolean;
  /** Its 201 carries a `Location`. */
  location: boolean;
  /** It answers 304 to a matching `If-None-Match`. */
  notModified: boolean;
}

const text = (description: string) => ({ type: 'string', description });

/** The request headers an operation reads, as the JSON schema @fastify/swagger turns into header parameters. */
export function requestHeaders(facts: DocumentedOperation) {
  const properties: Record<string, { type: string; description: string }> = {
    'x-request-id': text(
      'kept as the request id (echoed, in logs and problems) if 1-64 of A-Z a-z 0-9 . _ : -; else one is made',
    ),
  };
  if (facts.write) {
    properties['if-match'] = text(
      'W/"<version>" (or "<version>", or <version>): the version written against, 412 when stale; * asks only that the item exist. Must agree with a body expectedVersion (400).',
    );
    properties['idempotency-key'] = text(
      '1-200 visible ASCII characters: a repeat with the same request returns the first answer (Idempotent-Replayed: true); with another request, 422',
    );
  }
  if (facts.notModified)
    properties['if-none-match'] = text('the ETag held: 304 without a body when it is still current');
  return { type: 'object', properties };
}

const HEADERS = {
  XRequestId: { description: "the request's id, as in its problems and the server's log", schema: { type: 'string' } },
  ETag: {
    description: 'W/"<version>": the version of the item, for If-Match and If-None-Match',
    schema: { type: 'string' },
  },
  Location: { description: 'the path of the item created', schema: { type: 'string' } },
  IdempotentReplayed: {
    description: 'true: this is the first answer to the same Idempotency-Key, replayed',
    schema: { type: 'string', enum: ['true'] },
  },
  RetryAfter: { description: 'seconds until requests are accepted again', schema: { type: 'integer' } },
  RateLimitLimit: {
    description: 'requests allowed per window (per token; per address on public routes)',
    schema: { type: 'integer' },
  },
  RateLimitRemaining: { description: 'requests left in the current window', schema: { type: 'integer' } },
  RateLimitReset: { description: 'seconds until the window resets', schema: { type: 'integer' } },
} as const;

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** The response headers an answer with this status carries. */
function responseHeaders(status: string, facts: DocumentedOperation): Record<string, { $ref: string }> {
  const headers: Record<string, { $ref: string }> = { 'X-Request-Id': ref('XRequestId') };
  const success = status.startsWith('2') || status === '304';
  // The rate limit runs after authentication: a 401 is answered before it.
  if (success || status === '429') {
    headers['X-RateLimit-Limit'] = ref('RateLimitLimit');
    headers['X-RateLimit-Remaining'] = ref('RateLimitRemaining');
    headers['X-RateLimit-Reset'] = ref('RateLimitReset');
  }
  if (status === '429') headers['Retry-After'] = ref('RetryAfter');
  if (facts.etag && (status === '200' || status === '304')) headers.ETag = ref('ETag');
  if (facts.location && status === '201') headers.Location = ref('Location');
  if (facts.write && success) headers['Idempotent-Replayed'] = ref('IdempotentReplayed');
  return headers;
}

interface OperationObject {
  operationId?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string; headers?: Record<string, unknown> }>;
  [OPERATION_FACTS]?: DocumentedOperation;
}

interface Document {
  paths?: object;
  components?: { schemas?: object; headers?: object };
}

/**
 * Completes what @fastify/swagger and the zod transform leave out: optional bodies, response headers,
 * request bodies as named components (`<OperationId>Request`), and no component that nothing uses (the
 * zod transform emits an input and an output copy of every named schema).
 */
export function completeDocument(document: Document): void {
  const schemas: Record<string, unknown> = { ...(document.components?.schemas as Record<string, unknown> | undefined) };
  for (const methods of Object.values(document.paths ?? {}) as Array<Record<string, OperationObject>>) {
    for (const operation of Object.values(methods)) {
      const facts = operation[OPERATION_FACTS];
      if (!facts) continue;
      delete operation[OPERATION_FACTS];
      if (facts.optionalBody && operation.requestBody) operation.requestBody.required = false;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        response.headers = { ...response.headers, ...responseHeaders(status, facts) };
        // @fastify/swagger's placeholder for a response without a description: the status's own name says more.
        if (response.description === 'Default Response')
          response.description = STATUS_CODES[status] ?? response.description;
      }
      nameRequestBody(operation, schemas);
    }
  }
  document.components = { ...document.components, schemas: used(document.paths, schemas), headers: HEADERS };
}

function nameRequestBody(operation: OperationObject, schemas: Record<string, unknown>): void {
  const media = operation.requestBody?.content?.['application/json'];
  if (!media?.schema || media.schema.$ref !== undefined || operation.operationId === undefined) return;
  const name = `${operation.operationId.charAt(0).toUpperCase()}${operation.operationId.slice(1)}Request`;
  schemas[name] = media.schema;
  media.schema = { $ref: `#/components/schemas/${name}` };
}

/** The schemas the paths reference, directly or through other schemas. */
function used(paths: object | undefined, schemas: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const pending = refsIn(paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name in kept || !(name in schemas)) continue;
    kept[name] = schemas[name];
    pending.push(...refsIn(schemas[name]));
  }
  return Object.fromEntries(
    Object.keys(schemas)
      .filter((name) => name in kept)
      .map((name) => [name, kept[name]]),
  );
}

function refsIn(value: unknown): string[] {
  const refs = JSON.stringify(value ?? null).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
  return [...refs].map((match) => match[1] ?? '');
}
