import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, StoreUnavailable } from '../errors';
import { isUnavailable } from '../eventStore/store';
import { displayPath, withoutTokens } from './redact';

/** RFC 9457 problem details, the body of every error response. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** The members every problem has. */
function problem(status: number, detail: string, title = TITLES[status] ?? 'Error'): Problem {
  return { type: `https://dialogue.invalid/problems/${slug(title)}`, title, status, detail };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
  title?: string,
): FastifyReply {
  const instance = displayPath(reply.request.url);
  const body: Problem = {
    ...problem(status, detail, title),
    ...(instance === undefined ? {} : { instance }),
    requestId: String(reply.request.id),
    ...extra,
  };
  // Messages may quote what the client sent (an id); a token pasted there is not sent back.
  return reply
    .code(status)
    .type('application/problem+json')
    .send(withoutTokens(JSON.stringify(body)));
}

interface ValidationItem {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

function validationErrors(context: string, items: ValidationItem[]): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const item of items) {
    const base = [context, ...item.instancePath.split('/').filter((part) => part !== '')].join('.');
    const keys = item.params?.keys;
    if (Array.isArray(keys) && keys.length > 0) {
      for (const key of keys) out.push({ path: `${base}.${String(key)}`, message: 'unknown field' });
    } else {
      out.push({ path: base, message: item.message ?? 'invalid' });
    }
  }
  return out;
}

/**
 * The one error handler: domain errors, Fastify's own errors (bad JSON, body too large, unsupported media
 * type), schema violations and anything unexpected all leave as problem+json. A 5xx never reveals a stack,
 * SQL or a path; the request id ties it to the log.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) {
      if (error.status >= 500) request.log.warn({ err: error }, error.message);
      return sendProblem(reply, error.status, error.message, error.extra, error.title);
    }
    if (hasZodFastifySchemaValidationErrors(error) || Array.isArray(error.validation)) {
      const context = error.validationContext ?? 'body';
      const errors = validationErrors(context, (error.validation ?? []) as ValidationItem[]);
      return sendProblem(reply, 400, `the request's ${context} is not valid`, { errors });
    }
    if (isUnavailable(error)) {
      request.log.error({ err: error }, 'the event log cannot commit');
      const unavailable = new StoreUnavailable();
      return sendProblem(reply, 503, unavailable.message);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      if (status === 429) return sendProblem(reply, 429, error.message || 'rate limit passed');
      const message = clientMessage(error);
      // A 400 always lists what is wrong, as a validation error does (malformed JSON: the body).
      return sendProblem(reply, status, message, status === 400 ? { errors: [{ path: 'body', message }] } : undefined);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, 500, `an unexpected error occurred; it is logged under request id ${request.id}`);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = displayPath(request.url);
    return sendProblem(
      reply,
      404,
      path === undefined ? `no route ${request.method} for this path` : `no route ${request.method} ${path}`,
    );
  });
}

/** Fastify's messages for client errors are safe to show; map the common codes to plain words. */
function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is larger than 64 KiB';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'only application/json bodies are accepted';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return `the body is not valid JSON: ${error.message}`;
    default:
      return error.message.replace(/\s+at\s.*$/s, '');
  }
}

/**
 * What the server answers when Node's HTTP parser refuses a request before Fastify sees it (a malformed
 * request line, a bad header character, headers over the limit, a request too slow to arrive): a complete
 * HTTP/1.1 response with a problem+json body that repeats nothing of the request, and `Connection: close`,
 * since the parser cannot tell where the next request would start.
 */
export function parserErrorResponse(code: string | undefined): string {
  const [status, detail] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, `the request line and headers are larger than ${http.maxHeaderSize / 1024} KiB`]
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP/1.1 (request line or headers)'];
  const body = JSON.stringify(problem(status, detail));
  const head = [
    `HTTP/1.1 ${status} ${TITLES[status]}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Fastify's `clientErrorHandler`: answers the parser's refusals with `parserErrorResponse`, then ends the socket. */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // The code only: the parser's error carries the raw bytes received, which may hold a token.
  this.log.debug({ code: error.code }, 'request refused by the HTTP parser');
  if (socket.writable) socket.end(parserErrorResponse(error.code));
  else socket.destroy();
}
