// Jira's signature check: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw
// body>` (WebSub format: the method is parsed, not assumed). Pure, constant
// time, several secrets accepted for rotation.
import { createHmac, timingSafeEqual } from 'node:crypto';

const METHODS: Record<string, string> = { sha256: 'sha256', sha1: 'sha1' };

export function verifyJiraSignature(rawBody: Buffer, header: string, secrets: string[]): boolean {
  const eq = header.indexOf('=');
  if (eq <= 0) return false;
  const algorithm = METHODS[header.slice(0, eq).trim().toLowerCase()];
  const given = header.slice(eq + 1).trim();
  if (!algorithm || !/^[0-9a-fA-F]+$/.test(given)) return false;
  const givenBytes = Buffer.from(given.toLowerCase(), 'hex');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac(algorithm, secret).update(rawBody).digest();
    // Compare against every secret so timing does not tell which one matched.
    if (expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)) ok = true;
  }
  return ok;
}

/** The header value Jira would send for this body: used by the sandbox, the demo and tests. */
export function signJiraBody(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
