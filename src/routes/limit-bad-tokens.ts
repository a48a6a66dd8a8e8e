// The slow-down for token guessers, for every authenticated route (admin,
// digest, metrics): requests from one address that carry no valid token are
// counted apart from those that do, so a guesser gets 429 after a few tries a
// minute while a reader or scraper with the right token is never held back.
// Registered inside a route plugin, it applies to the routes declared after it
// in that plugin's scope (an onRequest hook that runs before the token check).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import createError from '@fastify/error';
import type { TokenCheck } from './bearer-auth.js';

export const RateLimitedError = createError('CASCADE_RATE_LIMITED', 'too many requests from this address: retry in %s', 429);

/** Requests a minute from one address; every field has a default. */
export interface BadTokenLimit {
  /** Without a valid token. Default 10. */
  withoutToken?: number;
  /** With a valid token. Default unlimited (readers reloading a page, a scraper, are never held back). */
  withToken?: number;
}

export async function limitBadTokens(app: FastifyInstance, check: TokenCheck, limits: BadTokenLimit = {}): Promise<void> {
  const withoutToken = limits.withoutToken ?? 10;
  const withToken = limits.withToken;
  const keyOf = (request: FastifyRequest): string => `${request.ip}|${check.nameOf(request) === null ? 'none' : 'token'}`;
  // In-process counters: each receiver limits on its own, enough to slow a guesser
  // down (tokens are long and random; this keeps logs and CPU quiet, not the token safe).
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    ...(withToken === undefined ? { allowList: (_request: FastifyRequest, key: string) => key.endsWith('|token') } : {}),
    max: (_request, key) => (key.endsWith('|none') ? withoutToken : (withToken ?? withoutToken)),
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
  });
}
