// A stand-in for Atlassian's OAuth 2.0 (3LO) authorization server and the API
// gateway's token check (TRACKERS.md "Jira Cloud OAuth 2.0 (3LO)"): the consent
// page answers at once as the account a test chose, for the sites it chose;
// codes work once; access tokens live an hour (shorter when a test says so);
// refresh tokens rotate with a 10-minute reuse leeway, die after 90 idle days,
// and 365 days after the first of their chain however often they were used.
// Time is the sandbox's clock, which tests move forward.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const DAY_MS = 24 * 3600_000;
const REUSE_LEEWAY_MS = 10 * 60_000;
const IDLE_LIMIT_MS = 90 * DAY_MS;
const CHAIN_LIMIT_MS = 365 * DAY_MS;
const CODE_TTL_MS = 10 * 60_000;

/** The sandbox's own time: the real one, moved forward by tests (webhook expiry, token lifetimes). */
export class SandboxClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** Who consents on the next visit to /authorize, and for which sites (cloudIds). */
export interface ConsentChoice {
  accountId: string;
  cloudIds: string[];
}

export interface SiteInfo {
  cloudId: string;
  name: string;
  url: string;
}

/** What an access token may do: the app, the account that consented, the sites it covers. */
export interface Grant {
  clientId: string;
  accountId: string;
  cloudIds: string[];
  scopes: string[];
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  grant: Grant;
  chainStartedAt: number;
  lastUsedAt: number;
  /** Set once it was used: its successor, and until when a repeat still answers (the leeway). */
  rotated?: { successor: string; until: number };
}

export interface SandboxOAuthOptions {
  clients: OAuthClient[];
  /** Access-token lifetime; default 3600 s, as Atlassian's. */
  accessTokenTtlMs?: number;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

const token = (prefix: string): string => `${prefix}${randomBytes(18).toString('base64url')}`;

export class SandboxOAuth {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, { grant: Grant; redirectUri: string; expiresAt: number }>();
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private consent: ConsentChoice | undefined;
  private refreshes = 0;
  private refreshRequestCount = 0;
  accessTokenTtlMs: number;

  constructor(
    private readonly clock: SandboxClock,
    private readonly sites: () => SiteInfo[],
    options: SandboxOAuthOptions,
  ) {
    for (const client of options.clients) this.clients.set(client.clientId, client);
    this.accessTokenTtlMs = options.accessTokenTtlMs ?? 3600_000;
  }

  /** The account (and its sites) that consents on the next /authorize; default every site. */
  consentAs(accountId: string, cloudIds?: string[]): void {
    this.consent = { accountId, cloudIds: cloudIds ?? this.sites().map((s) => s.cloudId) };
  }

  /** refresh_token grants answered with a new pair so far (reuses within the leeway not counted). */
  refreshCount(): number {
    return this.refreshes;
  }

  /** Every refresh_token grant asked for, reuses within the leeway and refusals included. */
  refreshRequests(): number {
    return this.refreshRequestCount;
  }

  clientSecret(clientId: string): string | undefined {
    return this.clients.get(clientId)?.clientSecret;
  }

  /** The grant behind a Bearer header, when the token is live. */
  authenticate(header: string | undefined): Grant | undefined {
    const [scheme, value = ''] = (header ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer') return undefined;
    const found = this.access.get(value);
    return found && found.expiresAt > this.clock.now() ? found.grant : undefined;
  }

  register(app: FastifyInstance): void {
    app.get<{ Querystring: Record<string, string | undefined> }>('/authorize', async (request, reply) => {
      const q = request.query;
      const problem = this.authorizeProblem(q);
      if (problem) return reply.code(400).type('text/plain').send(problem);
      const redirect = new URL(q.redirect_uri as string);
      if (!this.consent) {
        redirect.searchParams.set('error', 'access_denied');
        redirect.searchParams.set('error_description', 'nobody consented (the sandbox was not told who: consentAs)');
      } else {
        const code = token('code-');
        const grant: Grant = { clientId: q.client_id as string, accountId: this.consent.accountId, cloudIds: [...this.consent.cloudIds], scopes: (q.scope as string).split(' ') };
        this.codes.set(code, { grant, redirectUri: q.redirect_uri as string, expiresAt: this.clock.now() + CODE_TTL_MS });
        redirect.searchParams.set('code', code);
      }
      if (q.state !== undefined) redirect.searchParams.set('state', q.state);
      return reply.code(302).header('location', redirect.toString()).send();
    });

    app.post('/oauth/token', async (request, reply) => {
      try {
        return this.tokenAnswer((request.body ?? {}) as Record<string, unknown>);
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        return reply.code(err.status).send({ error: err.error, error_description: err.message });
      }
    });

    app.get('/oauth/token/accessible-resources', async (request, reply) => {
      const grant = this.authenticate(request.headers.authorization);
      if (!grant) return reply.code(401).send({ code: 401, message: 'Unauthorized' });
      return this.sites()
        .filter((s) => grant.cloudIds.includes(s.cloudId))
        .map((s) => ({ id: s.cloudId, url: s.url, name: s.name, scopes: grant.scopes, avatarUrl: `${s.url}/avatar.png` }));
    });
  }

  private authorizeProblem(q: Record<string, string | undefined>): string | undefined {
    if (q.audience !== 'api.atlassian.com') return 'audience must be api.atlassian.com';
    if (!q.client_id || !this.clients.has(q.client_id)) return 'unknown client_id';
    if (q.response_type !== 'code') return 'response_type must be code';
    if (!q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri)) return 'redirect_uri is required';
    if (!q.scope) return 'scope is required';
    return undefined;
  }

  private tokenAnswer(body: Record<string, unknown>): Record<string, unknown> {
    const client = this.clients.get(String(body.client_id ?? ''));
    if (!client || body.client_secret !== client.clientSecret) throw new OAuthError(401, 'access_denied', 'Unauthorized');
    const now = this.clock.now();
    if (body.grant_type === 'authorization_code') {
      const code = this.codes.get(String(body.code ?? ''));
      this.codes.delete(String(body.code ?? ''));
      if (!code || code.expiresAt < now || code.grant.clientId !== client.clientId) throw new OAuthError(403, 'invalid_grant', 'Invalid authorization code');
      if (body.redirect_uri !== code.redirectUri) throw new OAuthError(403, 'invalid_grant', 'redirect_uri does not match the authorization request');
      return this.issue(code.grant, now, now);
    }
    if (body.grant_type === 'refresh_token') {
      this.refreshRequestCount++;
      const presented = String(body.refresh_token ?? '');
      const found = this.refresh.get(presented);
      if (!found || found.grant.clientId !== client.clientId) throw new OAuthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
      if (now - found.chainStartedAt > CHAIN_LIMIT_MS) throw new OAuthError(403, 'invalid_grant', 'The refresh token expired (365 days after the consent).');
      if (now - found.lastUsedAt > IDLE_LIMIT_MS) throw new OAuthError(403, 'invalid_grant', 'The refresh token expired (unused for 90 days).');
      if (found.rotated) {
        // Atlassian accepts a rotated token again for a short while (a lost answer), answering its successor.
        if (now > found.rotated.until) throw new OAuthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
        return this.accessOnly(found.grant, now, found.rotated.successor);
      }
      this.refreshes++;
      const answer = this.issue(found.grant, found.chainStartedAt, now);
      found.rotated = { successor: answer.refresh_token as string, until: now + REUSE_LEEWAY_MS };
      return answer;
    }
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${String(body.grant_type)} is not supported`);
  }

  private issue(grant: Grant, chainStartedAt: number, now: number): Record<string, unknown> {
    const refreshToken = grant.scopes.includes('offline_access') ? token('rt-') : undefined;
    if (refreshToken) this.refresh.set(refreshToken, { grant, chainStartedAt, lastUsedAt: now });
    return this.accessOnly(grant, now, refreshToken);
  }

  private accessOnly(grant: Grant, now: number, refreshToken: string | undefined): Record<string, unknown> {
    const accessToken = token('at-');
    this.access.set(accessToken, { grant, expiresAt: now + this.accessTokenTtlMs });
    return {
      access_token: accessToken,
      expires_in: Math.round(this.accessTokenTtlMs / 1000),
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }
}
