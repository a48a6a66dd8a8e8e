// A tenant's tokens: 32 random bytes each, with a prefix that tells a reader
// which kind they hold (`cta_` admin, `ctd_` digest). Only their SHA-256
// digests are stored; the tokens themselves are shown once, when made.
import { createHash, randomBytes } from 'node:crypto';

export type TenantTokenKind = 'admin' | 'digest';

const PREFIXES: Record<TenantTokenKind, string> = { admin: 'cta_', digest: 'ctd_' };

export function newTenantToken(kind: TenantTokenKind): string {
  return `${PREFIXES[kind]}${randomBytes(32).toString('base64url')}`;
}

/** The digest a token is stored and looked up by (hex). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
