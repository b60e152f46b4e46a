import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { TooManyRequests } from '../errors';

/**
 * Requests per token per window (per address for the public routes). It runs after authentication
 * (preHandler), so a client is limited by who it is, not by the address it shares with a whole delegation.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  config: Pick<Config, 'RATE_LIMIT_MAX' | 'RATE_LIMIT_WINDOW_MS'>,
): Promise<void> {
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request) => (request.actor ? `token:${request.actor.tokenId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(
        `more than ${context.max} requests in ${context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });
}
