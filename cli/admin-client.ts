// The admin API of a running Cascade, for the commands that ask it (explain,
// recheck, review): the URL from --url, CASCADE_URL or PORT, the token from
// ADMIN_TOKEN (its first entry) or, in the demo, .cascade/admin-token; with
// CASCADE_TENANT, the operator's token acts on that tenant (a tenant's own
// admin token in ADMIN_TOKEN needs none).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminTarget {
  url: string;
  token: string;
  /** The tenant the requests name (CASCADE_TENANT); absent: the token's own, or `default`. */
  tenant?: string;
}

export class AdminClientError extends Error {}

export function adminTarget(processEnv: NodeJS.ProcessEnv, url?: string): AdminTarget {
  const base = (url ?? processEnv.CASCADE_URL ?? `http://127.0.0.1:${processEnv.PORT ?? '3000'}`).replace(/\/+$/, '');
  const fromEnv = processEnv.ADMIN_TOKEN?.split(',')[0]?.trim();
  // `name:token` entries: the token is what follows the first colon.
  const token = fromEnv ? (fromEnv.includes(':') ? fromEnv.slice(fromEnv.indexOf(':') + 1) : fromEnv) : demoToken(processEnv);
  if (!token) throw new AdminClientError('no admin token: set ADMIN_TOKEN (the one the running Cascade has), or start the demo (npm start) which keeps one in .cascade/admin-token');
  const tenant = processEnv.CASCADE_TENANT?.trim();
  return { url: base, token, ...(tenant ? { tenant } : {}) };
}

function demoToken(processEnv: NodeJS.ProcessEnv): string | undefined {
  try {
    return readFileSync(join(processEnv.CASCADE_DATA_DIR ?? '.cascade', 'admin-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function adminRequest<T>(target: AdminTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(target.tenant ? { 'cascade-tenant': target.tenant } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new AdminClientError(`Cascade does not answer at ${target.url} (${(err as Error).message}): start it (npm start), or pass --url`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: the text as it is
    }
    if (res.status === 404 && /Route .* not found/.test(message)) message = 'the admin API is not served there: is ADMIN_TOKEN set on that Cascade?';
    throw new AdminClientError(`${method} ${path}: ${res.status} ${message}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
