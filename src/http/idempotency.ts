import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../errors';
import { canonicalJson, sha256Hex } from '../eventStore/hash';
import type { EventStore } from '../eventStore/store';
import { sendResponse } from './command';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when a write carries an `Idempotency-Key` that has not been seen yet. */
    idempotency?: { key: string; fingerprint: string };
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const WRITE_METHODS = new Set(['POST', 'DELETE', 'PUT', 'PATCH']);

/**
 * The `Idempotency-Key` contract: a repeat with the same key and the same request gets the first response
 * again and records nothing; the same key with another request is a 422. Keys are scoped to the token, so
 * one caller's keys never answer another's requests. The key is checked again inside the append's
 * transaction, so concurrent repeats still record one event.
 */
export function registerIdempotency(app: FastifyInstance, store: EventStore): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!WRITE_METHODS.has(request.method) || !request.actor) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new BadRequest('Idempotency-Key must be 1 to 200 visible ASCII characters', [
        { path: 'headers.idempotency-key', message: 'invalid' },
      ]);
    }
    const key = `${request.actor.tokenId}:${header}`;
    const fingerprint = sha256Hex(
      `${request.method} ${request.url}\n${request.headers['if-match'] ?? ''}\n${canonicalJson(request.body ?? null)}`,
    );
    const kept = store.idempotentResponse(key, fingerprint);
    if (kept) {
      reply.header('idempotent-replayed', 'true');
      return sendResponse(reply, kept);
    }
    request.idempotency = { key, fingerprint };
  });
}
