// Bearer-token checks in constant time, naming which token was used (for the
// config history). Hashing first makes the comparison length-independent.
// Tokens travel in the Authorization header; a URL's ?token= is accepted only
// for the tokens a route names as link tokens (the digest token): URLs end up in
// browser history, proxy logs and Referer headers, so an admin token never does.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import createError from '@fastify/error';
import type { NamedToken } from '../config/environment.js';

export const UnauthorisedError = createError('CASCADE_UNAUTHORISED', 'a valid Authorization: Bearer token is required', 401);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface TokenCheck {
  /** The name of the token the request carries, or null. */
  nameOf(request: FastifyRequest): string | null;
  /** The ?token= of the request when it is a valid link token (so a page may repeat it in its own links), else undefined. */
  linkToken(request: FastifyRequest): string | undefined;
}

export interface TokenCheckOptions {
  /** Tokens also accepted as `?token=` in the URL. Default none. */
  queryTokens?: NamedToken[];
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
  return {
    nameOf(request) {
      const auth = request.headers.authorization;
      const bearer = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      if (bearer) return match(bearer, inHeader);
      const given = inQuery.length > 0 ? queryToken(request) : undefined;
      return given ? match(given, inQuery) : null;
    },
    linkToken(request) {
      const given = inQuery.length > 0 ? queryToken(request) : undefined;
      return given && match(given, inQuery) !== null ? given : undefined;
    },
  };
}
