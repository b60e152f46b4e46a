import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../dialogue/actor';
import { Forbidden, TooManyRequests, Unauthorized } from '../errors';
import type { Role } from '../eventStore/types';
import type { TokenAuthenticator } from '../tokens/tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route that is not public. */
    actor: Actor;
    /**
     * The view generation read as the request was authenticated: the request's look-ups of kept views go by
     * it, so that one request reads `data_version` once (see ViewGeneration).
     */
    viewGeneration: number | undefined;
  }
  interface FastifyContextConfig {
    /** No token needed (GET /health, the API documentation under /docs). */
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
  return allowQuery ? queryToken(request.raw.url ?? '') : undefined;
}

/**
 * The token of a URL's query: the one parameter spelt exactly `token=`, its value as sent (a token never
 * needs escaping). Read from the raw URL, before any decoding: a spelling that decodes to `token`
 * (`tok%65n`, `%74oken`) is some other parameter, so whatever redacts or filters `token=` on the way (a
 * proxy, the log) sees the same parameter that authenticates. Two of them are none.
 */
export function queryToken(rawUrl: string): string | undefined {
  const mark = rawUrl.indexOf('?');
  if (mark === -1) return undefined;
  const values = rawUrl
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair.startsWith('token='))
    .map((pair) => pair.slice('token='.length));
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Authenticates every request but the public routes; a missing, unknown or revoked token is a 401. An
 * address that keeps presenting refused tokens is answered 429 for the rest of the window, before any
 * token is looked at: guessing tokens costs the guesser, not the server.
 */
export function registerAuth(app: FastifyInstance, tokens: TokenAuthenticator, failures: FailedAuthLimit): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('viewGeneration', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // A path with no route needs a token too (401 without one, 404 with one): only public routes answer
    // a request that has none.
    if (config?.public) return;
    const retryAfter = failures.retryAfterSeconds(request.ip);
    if (retryAfter !== null) {
      reply.header('retry-after', String(retryAfter));
      throw new TooManyRequests(`too many failed authentications from this address; retry after ${retryAfter} s`);
    }
    const token = bearerToken(request, config?.tokenInQuery === true);
    const actor = tokens.authenticate(token);
    if (!actor) {
      // Only a token that was presented and refused is a guess: a request with none (a probe, a favicon, a
      // path with no route) is a 401 but does not count against its address.
      if (token !== undefined || request.headers.authorization !== undefined) failures.record(request.ip);
      throw new Unauthorized();
    }
    request.actor = actor;
    request.viewGeneration = tokens.generation.check();
  });
}

/** Failed authentications per address in a fixed window (kept in memory: a restart forgives). */
export class FailedAuthLimit {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  record(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (!window || window.endsAt <= now) {
      if (this.windows.size > 100_000) this.prune(now);
      this.windows.set(address, { count: 1, endsAt: now + this.windowMs });
    } else window.count += 1;
  }

  retryAfterSeconds(address: string): number | null {
    const window = this.windows.get(address);
    const now = this.now();
    if (!window || window.endsAt <= now || window.count < this.max) return null;
    return Math.ceil((window.endsAt - now) / 1000);
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address);
  }
}

/** Refuses callers whose role is not among those named. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new Forbidden(`this needs the role ${roles.join(' or ')}; the token's role is ${actor.role}`);
  }
}
