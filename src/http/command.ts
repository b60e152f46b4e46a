import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientExpectation, WriteContext } from '../commands/handler';
import { BadRequest } from '../errors';
import type { KeptResponse } from '../eventStore/types';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Where a 201 of this route lives, from its body: the `Location` header, first answer and replays alike. */
    location?: (body: { id: string }) => string;
  }
}

/** `expectedVersion` in the body (409 on mismatch) or `If-Match` (412); both must agree when both are sent. */
export function expectation(request: FastifyRequest, bodyVersion: number | undefined): ClientExpectation | undefined {
  const header = ifMatchVersion(request);
  if (bodyVersion !== undefined && header !== undefined && header !== 'any' && bodyVersion !== header) {
    throw new BadRequest('expectedVersion and If-Match disagree', [
      { path: 'body.expectedVersion', message: 'differs from If-Match' },
    ]);
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  if (header !== undefined) return { version: header, via: 'if-match' };
  return undefined;
}

/** What the command handler needs of a request: who writes, its id, its idempotency key and view generation. */
export function writeContext(request: FastifyRequest): WriteContext {
  const context: WriteContext = { actor: request.actor, requestId: String(request.id) };
  if (request.idempotency) context.idempotency = request.idempotency;
  if (request.viewGeneration !== undefined) context.viewGeneration = request.viewGeneration;
  return context;
}

/** Sends a command's response (or a kept one, replayed), with the `Location` of what a 201 created. */
export function sendResponse(reply: FastifyReply, response: KeptResponse): FastifyReply {
  const location = reply.request.routeOptions.config.location;
  const body = response.body;
  if (location && response.statusCode === 201 && typeof body.id === 'string')
    reply.header('location', location({ id: body.id }));
  return reply.code(response.statusCode).send(response.body);
}

/** Parses `If-Match: W/"7"` (or `"7"`, or `7`) into a version, and `If-Match: *` into `any`. */
export function ifMatchVersion(request: FastifyRequest): number | 'any' | undefined {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return undefined;
  if (header.trim() === '*') return 'any';
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new BadRequest('If-Match must be an ETag of the form W/"<version>", or *', [
      { path: 'headers.if-match', message: 'expected W/"<version>" or *' },
    ]);
  }
  return Number(match[1]);
}

export function etag(version: number): string {
  return `W/"${version}"`;
}

/**
 * Answers 304 Not Modified: no content, so no content headers of its own (RFC 9110 15.4.5); a proxy in
 * front refuses a 304 that declares a body. Headers already set (the ETag) stay.
 */
export function notModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}
