// The admin token check and the slow-down for guessers, both attached to each
// admin route. Order matters: the rate limit runs first, so a guesser is
// counted before the 401 and gets 429 once over the limit.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { NamedToken } from '../../config/environment.js';
import { tokenCheck, UnauthorisedError } from '../bearer-auth.js';
import { RateLimitedError } from './admin-errors.js';

export interface AdminRateLimit {
  /** Requests a minute from one address without a valid token. Default 10. */
  withoutToken?: number;
  /** Requests a minute from one address with a valid token. Default 600. */
  withToken?: number;
}

/** The token name each authenticated request carries (the config history's author). */
const authors = new WeakMap<FastifyRequest, string>();

export function authorOf(request: FastifyRequest): string {
  const name = authors.get(request);
  // The hook runs before every admin handler; reaching here without a name is a wiring bug.
  if (name === undefined) throw new UnauthorisedError();
  return name;
}

/**
 * Registers the rate limit and the token check for every route declared later
 * in this scope. Both are route-level onRequest hooks (added by onRoute), so
 * they run in registration order: limit, then check.
 */
export async function guardAdminRoutes(app: FastifyInstance, tokens: NamedToken[], limits: AdminRateLimit = {}): Promise<void> {
  const check = tokenCheck(tokens);
  const withoutToken = limits.withoutToken ?? 10;
  const withToken = limits.withToken ?? 600;
  // Counted apart: an admin at work never uses up the budget of failed attempts, nor the reverse.
  const keyOf = (request: FastifyRequest): string => `${request.ip}|${check.nameOf(request) === null ? 'none' : 'token'}`;

  // In-process counters: each receiver limits on its own, enough to slow a guesser
  // down (tokens are long and random; this keeps logs and CPU quiet, not the token safe).
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    max: (_request, key) => (key.endsWith('|none') ? withoutToken : withToken),
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
  });

  const authenticate: onRequestAsyncHookHandler = async (request) => {
    const name = check.nameOf(request);
    if (name === null) throw new UnauthorisedError();
    authors.set(request, name);
  };
  app.addHook('onRoute', (route) => {
    const existing = route.onRequest;
    route.onRequest = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), authenticate];
  });
}
