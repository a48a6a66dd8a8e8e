// Linear's OAuth endpoints on the sandbox's port: GET /oauth/authorize consents
// at once (no browser, no login) for the workspace the sandbox is set to consent
// for, or the one a `workspace` query parameter names (a sandbox extension: an
// organisation id or urlKey); POST /oauth/token (form-encoded) for the
// authorization_code, refresh_token and client_credentials grants; POST
// /oauth/revoke. Errors are Linear's OAuth JSON `{error, error_description}`.
import { OAuthError, SandboxOAuthApp, type IssuedGrant } from './oauth.js';
import { appUserOf, type SandboxWorkspace } from './workspaces.js';

export interface OAuthRouteDeps {
  app: SandboxOAuthApp;
  /** The workspace a consent goes to: by id or urlKey, or the sandbox's current choice. */
  workspace(ref: string | undefined): SandboxWorkspace | undefined;
  /** The workspace client-credentials tokens cover. */
  clientCredentialsWorkspace(): SandboxWorkspace;
  /** A consent happened in this workspace (app webhooks start). */
  installed(workspace: SandboxWorkspace): void;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const oauthError = (error: OAuthError): RouteAnswer => ({ status: error.status, body: { error: error.error, error_description: error.description } });

export function authorize(url: URL, deps: OAuthRouteDeps): RouteAnswer {
  const q = url.searchParams;
  if (q.get('client_id') !== deps.app.clientId) return { status: 400, body: { error: 'invalid_client', error_description: 'unknown client_id' } };
  const redirectUri = q.get('redirect_uri') ?? '';
  // Never redirect to a URI the app did not register: the error is shown, not sent.
  if (!deps.app.redirectUriAllowed(redirectUri)) return { status: 400, body: { error: 'invalid_request', error_description: 'redirect_uri is not registered for this app' } };
  const back = (params: Record<string, string>): RouteAnswer => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  };
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const actor = q.get('actor') ?? 'user';
  if (actor !== 'app' && actor !== 'user') return back({ error: 'invalid_request', error_description: `actor=${actor} is not app or user` });
  let scope: string[];
  try {
    scope = deps.app.parseScope(q.get('scope') ?? '');
  } catch (err) {
    return back({ error: (err as OAuthError).error, error_description: (err as OAuthError).description });
  }
  if (actor === 'app' && scope.includes('admin')) return back({ error: 'invalid_scope', error_description: 'actor=app cannot ask for admin' });
  const workspace = deps.workspace(q.get('workspace') ?? undefined);
  if (!workspace) return back({ error: 'access_denied', error_description: 'no such workspace' });
  if (actor === 'app') appUserOf(workspace, deps.app.clientId);
  deps.installed(workspace);
  return back({ code: deps.app.issueCode(workspace.id, redirectUri, scope, actor) });
}

export function token(contentType: string | undefined, raw: string, deps: OAuthRouteDeps): RouteAnswer {
  if (!(contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    return { status: 400, body: { error: 'invalid_request', error_description: 'send the token request as application/x-www-form-urlencoded' } };
  }
  const form = new URLSearchParams(raw);
  try {
    let grant: IssuedGrant;
    let lifetime = deps.app.accessLifetimeMs;
    switch (form.get('grant_type')) {
      case 'authorization_code':
        grant = deps.app.exchangeCode(form);
        break;
      case 'refresh_token':
        grant = deps.app.refresh(form);
        break;
      case 'client_credentials': {
        const workspace = deps.clientCredentialsWorkspace();
        appUserOf(workspace, deps.app.clientId);
        grant = deps.app.clientCredentials(form, workspace.id);
        lifetime = deps.app.clientCredentialsLifetimeMs;
        deps.installed(workspace);
        break;
      }
      default:
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: `grant_type=${form.get('grant_type') ?? ''} is not supported` } };
    }
    return { status: 200, body: SandboxOAuthApp.answer(grant, lifetime), headers: { 'cache-control': 'no-store' } };
  } catch (err) {
    if (err instanceof OAuthError) return oauthError(err);
    throw err;
  }
}

export function revoke(authorization: string | undefined, raw: string, deps: OAuthRouteDeps): RouteAnswer {
  const form = new URLSearchParams(raw);
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  const tokenValue = bearer ?? form.get('token') ?? form.get('access_token') ?? form.get('refresh_token');
  if (!tokenValue) return { status: 400, body: { error: 'invalid_request', error_description: 'no token to revoke' } };
  return deps.app.revokeToken(tokenValue) ? { status: 200, body: {} } : { status: 400, body: { error: 'invalid_token', error_description: 'unknown token' } };
}
