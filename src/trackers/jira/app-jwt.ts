// Deliveries to a Jira app's dynamic webhooks carry no HMAC: they carry
// `Authorization: Bearer <JWT>` signed with the app's client secret (HS256 on
// real deliveries; TRACKERS.md "Authenticating deliveries"). Only HS256 is
// accepted (never `none`, never an algorithm the header picks), the signature is
// compared in constant time, and `exp` must not have passed. Pure: the time is
// passed in. Several secrets are tried while one is being rotated.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds of clock difference forgiven on `exp` (Jira's clock and ours). */
const LEEWAY_S = 30;

export type JwtRefusal = 'missing' | 'malformed' | 'algorithm' | 'signature' | 'expired';

function json(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the Authorization header does not prove a delivery from the app, or null when it does. */
export function jiraJwtRefusal(authorization: string | undefined, secrets: string[], nowMs: number): JwtRefusal | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
  if (!authorization) return 'missing';
  if (!match) return 'malformed';
  const [, head, body, signature] = match as unknown as [string, string, string, string];
  const header = json(head);
  const claims = json(body);
  if (!header || !claims) return 'malformed';
  if (header.alg !== 'HS256') return 'algorithm';
  const given = Buffer.from(signature, 'base64url');
  const signed = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!signed) return 'signature';
  if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_S < nowMs / 1000) return 'expired';
  return null;
}
