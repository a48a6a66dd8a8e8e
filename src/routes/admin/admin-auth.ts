// The admin token check and the slow-down for guessers, both attached to each
// admin route. Order matters: the rate limit runs first, so a guesser is
// counted before the 401 and gets 429 once over the limit.
//
// Tokens: the operator's (ADMIN_TOKEN) act on the `default` tenant, or on the
// tenant a request names (header `cascade-tenant`, or `?tenant=`); a tenant's
// admin token acts on its own tenant only.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import createError from '@fastify/error';
import type { NamedToken } from '../../config/environment.js';
import { tokenCheck, UnauthorisedError } from '../bearer-auth.js';
import { limitBadTokens, type BadTokenLimit } from '../limit-bad-tokens.js';
import type { TenantDirectory } from '../../tenants/tenant-directory.js';
import { DEFAULT_TENANT } from '../../tenants/tenant-ids.js';
import { UnknownTenantError } from '../../tenants/tenant-store.js';

/** Requests a minute from one address, without a valid token (default 10) and with one (default 600). */
export type AdminRateLimit = BadTokenLimit;

export const OtherTenantError = createError<[string]>('CASCADE_OTHER_TENANT', 'this token belongs to tenant %s', 403);

/** The header an operator's request names a tenant with. */
export const TENANT_HEADER = 'cascade-tenant';

interface Caller {
  /** The token's name (the config history's author). */
  name: string;
  /** The tenant the token is limited to; undefined for the operator's tokens. */
  limitedTo?: string;
  /** The tenant whose stores the request acts on. */
  tenant: string;
}

const callers = new WeakMap<FastifyRequest, Caller>();

function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  // The hook runs before every admin handler; reaching here without a caller is a wiring bug.
  if (caller === undefined) throw new UnauthorisedError();
  return caller;
}

export function authorOf(request: FastifyRequest): string {
  return callerOf(request).name;
}

/** The tenant the request's token is limited to; undefined: the operator's token, which sees all. */
export function tenantOf(request: FastifyRequest): string | undefined {
  return callerOf(request).limitedTo;
}

/** The tenant whose config, verdicts and queues the request acts on. */
export function actingTenantOf(request: FastifyRequest): string {
  return callerOf(request).tenant;
}

/** The tenant a request names, by header or query; undefined when it names none. */
function namedTenant(request: FastifyRequest): string | undefined {
  const header = request.headers[TENANT_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.tenant === 'string' && query.tenant !== '' ? query.tenant : undefined;
}

/**
 * Registers the rate limit and the token check for every route declared later
 * in this scope. Both are route-level onRequest hooks (added by onRoute), so
 * they run in registration order: limit, then check. With `tenants`, tenants'
 * admin tokens are accepted too (the directory is brought up to date first).
 */
export async function guardAdminRoutes(app: FastifyInstance, tokens: NamedToken[], limits: AdminRateLimit = {}, tenants?: TenantDirectory): Promise<void> {
  const check = tokenCheck(tokens, tenants ? { tenants: { lookup: (token) => tenants.tokenOf(token), inHeader: ['admin'] } } : {});
  if (tenants) app.addHook('onRequest', async () => tenants.fresh());
  // An admin at work gets 600 requests a minute, counted apart from failed attempts.
  await limitBadTokens(app, check, { withoutToken: limits.withoutToken, withToken: limits.withToken ?? 600 });

  const authenticate: onRequestAsyncHookHandler = async (request) => {
    const identity = check.identify(request);
    if (identity === null) throw new UnauthorisedError();
    const named = namedTenant(request);
    if (identity.tenant !== undefined) {
      if (named !== undefined && named !== identity.tenant) throw new OtherTenantError(identity.tenant);
      callers.set(request, { name: identity.name, limitedTo: identity.tenant, tenant: identity.tenant });
      return;
    }
    const tenant = named ?? DEFAULT_TENANT;
    if (!(tenants?.has(tenant) ?? tenant === DEFAULT_TENANT)) throw new UnknownTenantError(tenant);
    callers.set(request, { name: identity.name, tenant });
  };
  app.addHook('onRoute', (route) => {
    const existing = route.onRequest;
    route.onRequest = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), authenticate];
  });
}
