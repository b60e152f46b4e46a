import type { FastifyInstance } from 'fastify';
import { type IdempotencyKey, type IdempotencyKeys, scopedKey } from '../commands/idempotency';
import { BadRequest } from '../errors';
import { canonicalJson, sha256Hex } from '../eventStore/hash';
import { sendResponse } from './command';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when a write carries an `Idempotency-Key` that has not been seen yet. */
    idempotency?: IdempotencyKey;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const WRITE_METHODS = new Set(['POST', 'DELETE', 'PUT', 'PATCH']);

/**
 * The HTTP side of the `Idempotency-Key` contract (decided in src/commands/idempotency.ts): the key is
 * checked, scoped to the token, and the request fingerprinted (method, URL, If-Match, body). A repeat is
 * answered here, before the route does any work, with `idempotent-replayed: true`; a new key travels with
 * the request to the command handler, which keeps its response with the append.
 */
export function registerIdempotency(app: FastifyInstance, keys: IdempotencyKeys): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!WRITE_METHODS.has(request.method) || !request.actor) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new BadRequest('Idempotency-Key must be 1 to 200 visible ASCII characters', [
        { path: 'headers.idempotency-key', message: 'invalid' },
      ]);
    }
    const key = scopedKey(request.actor.tokenId, header);
    const fingerprint = sha256Hex(
      `${request.method} ${request.url}\n${request.headers['if-match'] ?? ''}\n${canonicalJson(request.body ?? null)}`,
    );
    const kept = keys.replay({ key, fingerprint });
    if (kept) {
      reply.header('idempotent-replayed', 'true');
      return sendResponse(reply, kept);
    }
    request.idempotency = { key, fingerprint };
  });
}
