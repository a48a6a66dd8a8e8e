// The admin token check and the slow-down for guessers, both attached to each
// admin route. Order matters: the rate limit runs first, so a guesser is
// counted before the 401 and gets 429 once over the limit.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { NamedToken } from '../../config/environment.js';
import { tokenCheck, UnauthorisedError } from '../bearer-auth.js';
import { limitBadTokens, type BadTokenLimit } from '../limit-bad-tokens.js';

/** Requests a minute from one address, without a valid token (default 10) and with one (default 600). */
export type AdminRateLimit = BadTokenLimit;

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
  // An admin at work gets 600 requests a minute, counted apart from failed attempts.
  await limitBadTokens(app, check, { withoutToken: limits.withoutToken, withToken: limits.withToken ?? 600 });

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
