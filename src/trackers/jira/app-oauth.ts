// Atlassian's OAuth 2.0 (3LO) endpoints as Cascade calls them (TRACKERS.md
// "Jira Cloud OAuth 2.0 (3LO)"): the token endpoint takes JSON, answers 403
// `invalid_grant` for a dead refresh token, and rotates the refresh token on
// every use; accessible-resources lists the sites one consent covers.
import type { JiraAppEnv } from '../app-environment.js';
import type { TokenSet } from '../../records/installation.js';
import { ConsentFailedError, InvalidGrantError } from '../app-errors.js';

export const JIRA_APP_SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'manage:jira-webhook', 'offline_access'];

const TIMEOUT_MS = 30_000;

const trimmed = (url: string): string => url.replace(/\/+$/, '');

export interface AccessibleResource {
  id: string;
  url: string;
  name: string;
  scopes?: string[];
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export function authorizeUrl(app: JiraAppEnv, request: { state: string; redirectUri: string }): string {
  const url = new URL(`${trimmed(app.authUrl)}/authorize`);
  url.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: app.clientId,
    scope: JIRA_APP_SCOPES.join(' '),
    redirect_uri: request.redirectUri,
    state: request.state,
    response_type: 'code',
    prompt: 'consent',
  }).toString();
  return url.toString();
}

async function tokenRequest(app: JiraAppEnv, body: Record<string, string>): Promise<{ status: number; answer: TokenAnswer }> {
  const res = await fetch(`${trimmed(app.authUrl)}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ client_id: app.clientId, client_secret: app.clientSecret, ...body }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const answer = (await res.json().catch(() => ({}))) as TokenAnswer;
  return { status: res.status, answer };
}

function tokenSet(answer: TokenAnswer, now: Date, chainStartedAt: string | undefined): TokenSet | undefined {
  if (typeof answer.access_token !== 'string' || answer.access_token === '') return undefined;
  const lifetimeMs = (typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 3600) * 1000;
  const refreshToken = typeof answer.refresh_token === 'string' ? answer.refresh_token : undefined;
  return {
    accessToken: answer.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
    lifetimeMs,
    grant: 'authorization_code',
    ...(refreshToken ? { chainStartedAt: chainStartedAt ?? now.toISOString() } : {}),
  };
}

/** The callback's code exchanged for the consent's first token pair (its chain starts now). */
export async function exchangeCode(app: JiraAppEnv, code: string, redirectUri: string, now: Date): Promise<TokenSet> {
  const { status, answer } = await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  const tokens = status === 200 ? tokenSet(answer, now, undefined) : undefined;
  if (!tokens) throw new ConsentFailedError(`Atlassian refused the consent's code (${status} ${String(answer.error ?? 'no token')}): start the install again`);
  return tokens;
}

/** The next pair of a rotating chain; InvalidGrantError when only a new consent helps (90 idle days, 365 days, a used token). */
export async function refreshTokens(app: JiraAppEnv, tokens: TokenSet, now: Date): Promise<TokenSet> {
  if (!tokens.refreshToken) throw new InvalidGrantError('the installation has no refresh token');
  const { status, answer } = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
  if (answer.error === 'invalid_grant' || status === 403) throw new InvalidGrantError(`${String(answer.error ?? status)}: ${String(answer.error_description ?? 'refresh token refused')}`);
  const next = status === 200 ? tokenSet(answer, now, tokens.chainStartedAt) : undefined;
  if (!next) throw new Error(`Atlassian answered the token refresh with ${status} ${String(answer.error ?? '')}`.trim());
  // A repeat within the reuse leeway may answer no new refresh token: keep the one that still works.
  return next.refreshToken ? next : { ...next, refreshToken: tokens.refreshToken, chainStartedAt: tokens.chainStartedAt };
}

/** The sites (cloudIds) the token may reach. */
export async function accessibleResources(app: JiraAppEnv, accessToken: string): Promise<AccessibleResource[]> {
  const res = await fetch(`${trimmed(app.apiUrl)}/oauth/token/accessible-resources`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (res.status !== 200) throw new ConsentFailedError(`Atlassian did not list the consent's sites (${res.status}): start the install again`);
  const list = (await res.json()) as unknown;
  if (!Array.isArray(list)) throw new ConsentFailedError('Atlassian listed the sites in an unknown shape');
  return list.filter((r): r is AccessibleResource => typeof r?.id === 'string' && typeof r?.name === 'string' && typeof r?.url === 'string');
}

/** Where a site's REST API is reached with a 3LO token: 3LO tokens fail against *.atlassian.net. */
export function siteApiUrl(app: JiraAppEnv, cloudId: string): string {
  return `${trimmed(app.apiUrl)}/ex/jira/${encodeURIComponent(cloudId)}`;
}
