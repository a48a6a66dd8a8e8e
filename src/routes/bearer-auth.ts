// Bearer-token checks in constant time, naming which token was used (for the
// config history). Hashing first makes the comparison length-independent.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import createError from '@fastify/error';
import type { NamedToken } from '../config/environment.js';

export const UnauthorisedError = createError('CASCADE_UNAUTHORISED', 'a valid Authorization: Bearer token is required', 401);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface TokenCheck {
  /** The name of the token the request carries, or null. */
  nameOf(request: FastifyRequest, options?: { allowQuery?: boolean }): string | null;
}

export function tokenCheck(tokens: NamedToken[]): TokenCheck {
  const hashed = tokens.map((t) => ({ name: t.name, hash: digest(t.token) }));
  return {
    nameOf(request, options = {}) {
      const auth = request.headers.authorization;
      let given = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      if (!given && options.allowQuery) {
        const query = request.query as Record<string, unknown> | undefined;
        if (typeof query?.token === 'string') given = query.token;
      }
      if (!given) return null;
      const hash = digest(given);
      let name: string | null = null;
      for (const t of hashed) if (timingSafeEqual(t.hash, hash)) name ??= t.name;
      return name;
    },
  };
}
