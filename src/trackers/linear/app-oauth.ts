// Linear's OAuth token endpoint, as the app uses it: form-encoded POSTs for the
// authorization_code, refresh_token and client_credentials grants, the answer
// turned into Cascade's TokenSet, and `invalid_grant` told apart from everything
// else (only it means a new consent is needed). Tokens never reach an error message.
import type { LinearAppEnv } from '../app-environment.js';
import type { TokenSet } from '../../records/installation.js';
import { ConsentFailedError, InvalidGrantError } from '../app-errors.js';

/** What Cascade asks for: read and write, initiatives (the strategy's top) and customer requests (demand). Comma-separated, as Linear reads them. */
export const LINEAR_APP_SCOPES = ['read', 'write', 'initiative:read', 'customer:read'];

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  refresh_token?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** Linear's revoke endpoint: the token URL's origin + /oauth/revoke. */
export function revokeUrlOf(tokenUrl: string): string {
  return new URL('/oauth/revoke', tokenUrl).toString();
}

/**
 * POSTs one grant. `invalid_grant` (a dead refresh token, a used code) throws
 * InvalidGrantError; another refusal ConsentFailedError; a server error or the
 * network a plain Error (worth a retry).
 */
export async function requestToken(
  app: LinearAppEnv,
  grant: 'authorization_code' | 'refresh_token' | 'client_credentials',
  params: Record<string, string>,
  now: number,
): Promise<TokenSet> {
  const body = new URLSearchParams({ grant_type: grant, client_id: app.clientId, client_secret: app.clientSecret, ...params });
  const response = await fetch(app.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: body.toString(),
    signal: AbortSignal.timeout(15_000),
  });
  let answer: TokenAnswer = {};
  try {
    answer = (await response.json()) as TokenAnswer;
  } catch {
    // Not JSON: judged by the status alone below.
  }
  if (!response.ok) {
    const error = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
    const description = typeof answer.error_description === 'string' ? `: ${answer.error_description}` : '';
    if (response.status >= 500) throw new Error(`Linear's token endpoint answered ${response.status} to the ${grant} grant`);
    if (error === 'invalid_grant') throw new InvalidGrantError(`invalid_grant${description}`);
    const hint = error === 'invalid_client' ? ' (check LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET)' : '';
    throw new ConsentFailedError(`Linear refused the ${grant} grant: ${error}${description}${hint}`);
  }
  if (typeof answer.access_token !== 'string' || answer.access_token === '') {
    throw new ConsentFailedError(`Linear answered the ${grant} grant without an access token`);
  }
  const lifetimeMs = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in * 1000 : undefined;
  return {
    accessToken: answer.access_token,
    ...(typeof answer.refresh_token === 'string' && answer.refresh_token !== '' ? { refreshToken: answer.refresh_token } : {}),
    ...(lifetimeMs ? { expiresAt: new Date(now + lifetimeMs).toISOString(), lifetimeMs } : {}),
    grant: grant === 'client_credentials' ? 'client_credentials' : 'authorization_code',
  };
}

/** Revokes a token at Linear (Bearer); best effort, the caller decides what a failure means. */
export async function revokeToken(app: LinearAppEnv, accessToken: string): Promise<void> {
  const response = await fetch(revokeUrlOf(app.tokenUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: accessToken }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  // 400 for a token Linear no longer knows: it is revoked either way.
  if (!response.ok && response.status !== 400) throw new Error(`Linear's revoke endpoint answered ${response.status}`);
}
