// Bearer-token checks in constant time, naming which token was used (for the
// config history). Hashing first makes the comparison length-independent.
// Tokens travel in the Authorization header; a URL's ?token= is accepted only
// for the tokens a route names as link tokens (the digest token): URLs end up in
// browser history, proxy logs and Referer headers, so an admin token never does.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import createError from '@fastify/error';
import type { NamedToken } from '../config/environment.js';
import type { TenantToken } from '../tenants/tenant-directory.js';

export const UnauthorisedError = createError('CASCADE_UNAUTHORISED', 'a valid Authorization: Bearer token is required', 401);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Who a valid token speaks for: an operator's token (no tenant) or a tenant's. */
export interface TokenIdentity {
  /** The token's name (the config history's author): the operator token's, or `tenant:<id>`. */
  name: string;
  /** The tenant a tenant's token belongs to; absent for the operator's tokens. */
  tenant?: string;
}

export interface TokenCheck {
  /** The name of the token the request carries, or null. */
  nameOf(request: FastifyRequest): string | null;
  /** Who the request's token speaks for, or null. */
  identify(request: FastifyRequest): TokenIdentity | null;
  /** The ?token= of the request when it is a valid link token (so a page may repeat it in its own links), else undefined. */
  linkToken(request: FastifyRequest): string | undefined;
}

export interface TokenCheckOptions {
  /** Tokens also accepted as `?token=` in the URL. Default none. */
  queryTokens?: NamedToken[];
  /**
   * Tenants' tokens, found by their digest (src/tenants/tenant-directory.ts),
   * and which of their kinds count in the header and in `?token=`. Default none.
   */
  tenants?: {
    lookup(token: string): TenantToken | undefined;
    inHeader: ReadonlyArray<TenantToken['kind']>;
    inQuery?: ReadonlyArray<TenantToken['kind']>;
  };
}

export function tokenCheck(tokens: NamedToken[], options: TokenCheckOptions = {}): TokenCheck {
  const hash = (list: NamedToken[]): Array<{ name: string; hash: Buffer }> => list.map((t) => ({ name: t.name, hash: digest(t.token) }));
  const inHeader = hash(tokens);
  const inQuery = hash(options.queryTokens ?? []);
  const match = (given: string, list: Array<{ name: string; hash: Buffer }>): string | null => {
    const h = digest(given);
    let name: string | null = null;
    for (const t of list) if (timingSafeEqual(t.hash, h)) name ??= t.name;
    return name;
  };
  const queryToken = (request: FastifyRequest): string | undefined => {
    const query = request.query as Record<string, unknown> | undefined;
    return typeof query?.token === 'string' ? query.token : undefined;
  };
  const tenants = options.tenants;
  const inQueryKinds = tenants?.inQuery ?? [];
  const acceptsQuery = inQuery.length > 0 || inQueryKinds.length > 0;
  // Both look-ups run whatever the first finds: an operator's token costs what a tenant's or a wrong one does.
  const identifyToken = (given: string, list: Array<{ name: string; hash: Buffer }>, kinds: ReadonlyArray<TenantToken['kind']>): TokenIdentity | null => {
    const operator = match(given, list);
    const tenant = tenants?.lookup(given);
    if (operator !== null) return { name: operator };
    if (tenant && kinds.includes(tenant.kind)) return { name: `tenant:${tenant.tenant}`, tenant: tenant.tenant };
    return null;
  };
  const identify = (request: FastifyRequest): TokenIdentity | null => {
    const auth = request.headers.authorization;
    const bearer = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
    if (bearer) return identifyToken(bearer, inHeader, tenants?.inHeader ?? []);
    const given = acceptsQuery ? queryToken(request) : undefined;
    return given ? identifyToken(given, inQuery, inQueryKinds) : null;
  };
  return {
    identify,
    nameOf: (request) => identify(request)?.name ?? null,
    linkToken(request) {
      const given = acceptsQuery ? queryToken(request) : undefined;
      return given && identifyToken(given, inQuery, inQueryKinds) !== null ? given : undefined;
    },
  };
}
