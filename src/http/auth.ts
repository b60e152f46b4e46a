import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../dialogue/actor';
import { Forbidden, Unauthorized } from '../errors';
import type { Role } from '../eventStore/types';
import type { TokenAuthenticator } from '../tokens/tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route that is not public. */
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** No token needed (health, API documentation). */
    public?: boolean;
    /** The token may come as `?token=` (websocket upgrades: browsers cannot set headers there). */
    tokenInQuery?: boolean;
  }
}

export function bearerToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  if (allowQuery) {
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string') return token;
  }
  return undefined;
}

/** Authenticates every request but the public routes; a missing, unknown or revoked token is a 401. */
export function registerAuth(app: FastifyInstance, tokens: TokenAuthenticator): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config?.public || request.routeOptions.url === undefined) return;
    const actor = tokens.authenticate(bearerToken(request, config?.tokenInQuery === true));
    if (!actor) throw new Unauthorized();
    request.actor = actor;
  });
}

/** Refuses callers whose role is not among those named. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new Forbidden(`this needs the role ${roles.join(' or ')}; the token's role is ${actor.role}`);
  }
}
