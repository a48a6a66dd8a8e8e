// Linear's OAuth 2.0 app, as the sandbox plays it: one registered app (client id,
// secret, redirect URIs), authorization codes that work once, access tokens that
// end on the sandbox's clock, refresh tokens that rotate and die at first use,
// client-credentials tokens (one active per app), revocation, and counts of
// every grant per workspace so tests can assert "refreshed exactly once".
import { randomBytes } from 'node:crypto';

export interface OAuthAppOptions {
  clientId?: string;
  clientSecret?: string;
  /** Redirect URIs registered for the app; absent: any URI whose path ends in /oauth/linear/callback. */
  redirectUris?: string[];
  /** Access tokens of the authorization-code grant live this long. Default 86399 s, as Linear's. */
  accessTokenLifetimeSeconds?: number;
  /** Client-credentials tokens live this long. Default 30 days. */
  clientCredentialsLifetimeSeconds?: number;
}

export type GrantType = 'authorization_code' | 'client_credentials';

/** One consent's current token pair (a refresh replaces both). */
export interface IssuedGrant {
  workspaceId: string;
  grant: GrantType;
  scope: string[];
  /** actor=app: the workspace's app user acts; user: the admin who consented. */
  actor: 'app' | 'user';
  accessToken: string;
  refreshToken?: string;
  /** Sandbox-clock ms. */
  expiresAt: number;
  revoked: boolean;
}

export interface GrantCounts {
  /** Codes exchanged. */
  authorizationCode: number;
  /** Successful refresh_token grants. */
  refresh: number;
  /** Refreshes refused with invalid_grant (a used or unknown refresh token). */
  refusedRefresh: number;
  clientCredentials: number;
  revoked: number;
}

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

interface PendingCode {
  workspaceId: string;
  redirectUri: string;
  scope: string[];
  actor: 'app' | 'user';
  expiresAt: number;
}

export const LINEAR_SCOPES = new Set([
  'read', 'write', 'issues:create', 'comments:create', 'timeSchedule:write', 'admin',
  'initiative:read', 'initiative:write', 'customer:read', 'customer:write', 'app:assignable', 'app:mentionable',
]);

const CODE_LIFETIME_MS = 10 * 60_000;

function secret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('hex')}`;
}

export class SandboxOAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessLifetimeMs: number;
  readonly clientCredentialsLifetimeMs: number;
  private readonly redirectUris: string[] | undefined;
  private readonly codes = new Map<string, PendingCode>();
  private readonly byAccess = new Map<string, IssuedGrant>();
  private readonly byRefresh = new Map<string, IssuedGrant>();
  /** Refresh tokens used or revoked, by workspace: a second use is counted as refused there. */
  private readonly spent = new Map<string, string>();
  private readonly counts = new Map<string, GrantCounts>();
  private clientCredentialsGrant: IssuedGrant | undefined;

  constructor(
    options: OAuthAppOptions,
    private readonly now: () => number,
  ) {
    this.clientId = options.clientId ?? 'cascade-sandbox-client';
    this.clientSecret = options.clientSecret ?? 'cascade-sandbox-secret';
    this.redirectUris = options.redirectUris;
    this.accessLifetimeMs = (options.accessTokenLifetimeSeconds ?? 86_399) * 1000;
    this.clientCredentialsLifetimeMs = (options.clientCredentialsLifetimeSeconds ?? 30 * 86_400) * 1000;
  }

  registerRedirectUri(uri: string): void {
    this.redirectUris?.push(uri);
  }

  redirectUriAllowed(uri: string): boolean {
    if (this.redirectUris) return this.redirectUris.includes(uri);
    try {
      return /\/oauth\/linear\/callback$/.test(new URL(uri).pathname);
    } catch {
      return false;
    }
  }

  /** Scopes as Linear reads them: comma-separated, each known, `read` always. */
  parseScope(raw: string): string[] {
    const scopes = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = scopes.filter((s) => !LINEAR_SCOPES.has(s));
    if (scopes.length === 0 || unknown.length > 0) {
      throw new OAuthError(400, 'invalid_scope', `invalid scope: ${unknown.join(' ') || '(none)'} (scopes are comma-separated)`);
    }
    return [...new Set(['read', ...scopes])];
  }

  /** The consent: a code for `workspaceId`, good once for 10 minutes. */
  issueCode(workspaceId: string, redirectUri: string, scope: string[], actor: 'app' | 'user'): string {
    const code = secret('sandbox_code_');
    this.codes.set(code, { workspaceId, redirectUri, scope, actor, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  private checkClient(form: URLSearchParams): void {
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      throw new OAuthError(401, 'invalid_client', 'client authentication failed');
    }
  }

  exchangeCode(form: URLSearchParams): IssuedGrant {
    this.checkClient(form);
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    // One use: a second exchange of the same code is refused.
    this.codes.delete(code);
    if (!pending || pending.expiresAt < this.now()) throw new OAuthError(400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.get('redirect_uri') !== pending.redirectUri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    this.count(pending.workspaceId).authorizationCode += 1;
    return this.issue(pending.workspaceId, 'authorization_code', pending.scope, pending.actor);
  }

  refresh(form: URLSearchParams): IssuedGrant {
    this.checkClient(form);
    const presented = form.get('refresh_token') ?? '';
    const old = this.byRefresh.get(presented);
    if (!old || old.revoked) {
      const workspace = old?.workspaceId ?? this.spent.get(presented);
      if (workspace) this.count(workspace).refusedRefresh += 1;
      throw new OAuthError(400, 'invalid_grant', 'the refresh token is invalid, used or revoked');
    }
    // Rotation: the old refresh token is dead at once; the old access token lives out its time.
    this.byRefresh.delete(presented);
    this.spent.set(presented, old.workspaceId);
    this.count(old.workspaceId).refresh += 1;
    return this.issue(old.workspaceId, 'authorization_code', old.scope, old.actor);
  }

  /** One active client-credentials token per app: a new one ends the one before. */
  clientCredentials(form: URLSearchParams, workspaceId: string): IssuedGrant {
    this.checkClient(form);
    const scope = this.parseScope(form.get('scope') ?? 'read');
    if (this.clientCredentialsGrant) this.revokeGrant(this.clientCredentialsGrant, false);
    this.count(workspaceId).clientCredentials += 1;
    const grant = this.issue(workspaceId, 'client_credentials', scope, 'app');
    this.clientCredentialsGrant = grant;
    return grant;
  }

  /** Revokes the grant an access or refresh token belongs to; false when the token is unknown. */
  revokeToken(token: string): boolean {
    const grant = this.byAccess.get(token) ?? this.byRefresh.get(token);
    if (!grant) return false;
    this.revokeGrant(grant, true);
    return true;
  }

  /** Every token of the workspace ends (the app was uninstalled there). */
  revokeWorkspace(workspaceId: string): void {
    for (const grant of this.byAccess.values()) if (grant.workspaceId === workspaceId) this.revokeGrant(grant, false);
  }

  private revokeGrant(grant: IssuedGrant, counted: boolean): void {
    if (grant.revoked) return;
    grant.revoked = true;
    if (grant.refreshToken && this.byRefresh.delete(grant.refreshToken)) this.spent.set(grant.refreshToken, grant.workspaceId);
    if (counted) this.count(grant.workspaceId).revoked += 1;
  }

  /** The grant an access token belongs to, or why it is refused. */
  authenticate(accessToken: string): IssuedGrant | 'unknown' | 'expired' | 'revoked' {
    const grant = this.byAccess.get(accessToken);
    if (!grant) return 'unknown';
    if (grant.revoked) return 'revoked';
    if (grant.expiresAt <= this.now()) return 'expired';
    return grant;
  }

  grantCounts(workspaceId: string): GrantCounts {
    return { ...this.count(workspaceId) };
  }

  private count(workspaceId: string): GrantCounts {
    let counts = this.counts.get(workspaceId);
    if (!counts) {
      counts = { authorizationCode: 0, refresh: 0, refusedRefresh: 0, clientCredentials: 0, revoked: 0 };
      this.counts.set(workspaceId, counts);
    }
    return counts;
  }

  private issue(workspaceId: string, grantType: GrantType, scope: string[], actor: 'app' | 'user'): IssuedGrant {
    const lifetime = grantType === 'client_credentials' ? this.clientCredentialsLifetimeMs : this.accessLifetimeMs;
    const grant: IssuedGrant = {
      workspaceId, grant: grantType, scope, actor, accessToken: secret('lin_oauth_'),
      ...(grantType === 'authorization_code' ? { refreshToken: secret('lin_refresh_') } : {}),
      expiresAt: this.now() + lifetime, revoked: false,
    };
    this.byAccess.set(grant.accessToken, grant);
    if (grant.refreshToken) this.byRefresh.set(grant.refreshToken, grant);
    return grant;
  }

  /** The token endpoint's answer, as Linear shapes it (scope space-separated). */
  static answer(grant: IssuedGrant, lifetimeMs: number): Record<string, unknown> {
    return {
      access_token: grant.accessToken, token_type: 'Bearer', expires_in: Math.round(lifetimeMs / 1000),
      scope: grant.scope.join(' '), ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    };
  }
}
