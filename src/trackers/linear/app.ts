// Cascade installed as a Linear OAuth app (PRODUCT.md "Installed as an app",
// TRACKERS.md "Linear OAuth 2.0 apps"): actor=app, so comments and labels are the
// app's and it takes no seat; each workspace has its own app user (viewer.id with
// the install's token), which is how Cascade knows its own writes there.
import { LinearClient } from '@linear/sdk';
import type { Logger } from 'pino';
import type { AppInstallEnv as AppEnv } from '../app-environment.js';
import type { LinearAppEnv } from '../app-environment.js';
import type { NewInstallation, TokenSet } from '../../records/installation.js';
import { ConsentFailedError, InvalidGrantError } from '../app-errors.js';
import type { TrackerApp } from '../descriptor.js';
import { APP_WORKSPACE } from './documents.js';
import { isAuthenticationError } from './linear-errors.js';
import { LinearTracker } from './linear-tracker.js';
import { LINEAR_APP_SCOPES, requestToken, revokeToken } from './app-oauth.js';

export interface LinearApp extends TrackerApp {
  /** LINEAR_CLIENT_CREDENTIALS: a client-credentials token and the workspace it covers, no browser. */
  clientCredentials(env: AppEnv): Promise<NewInstallation>;
}

interface AppWorkspace {
  viewer: { id: string; name: string };
  organization: { id: string; name: string; urlKey: string };
}

function appEnv(env: AppEnv): LinearAppEnv {
  if (!env.linearApp) throw new Error('Linear is not set up as an app here: set LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET');
  return env.linearApp;
}

/** Where installations' GraphQL requests go: LINEAR_API_URL, read with or without an API key. */
function apiUrlOf(env: AppEnv): string {
  return env.linearApp?.apiUrl ?? 'https://api.linear.app/graphql';
}

/** The workspace and the app user a new token belongs to. */
async function readWorkspace(env: AppEnv, accessToken: string): Promise<AppWorkspace> {
  const client = new LinearClient({ accessToken, apiUrl: apiUrlOf(env) });
  try {
    const response = await client.client.rawRequest<AppWorkspace, Record<string, never>>(APP_WORKSPACE, {});
    if (!response.data) throw new Error('Linear answered without data');
    return response.data;
  } catch (error) {
    if (isAuthenticationError(error)) throw new ConsentFailedError('Linear refused the token it had just issued: install again');
    throw error;
  }
}

async function installationFor(env: AppEnv, tokens: TokenSet): Promise<NewInstallation> {
  const { viewer, organization } = await readWorkspace(env, tokens.accessToken);
  return {
    workspace: { id: organization.id, name: organization.name, urlKey: organization.urlKey, url: `https://linear.app/${organization.urlKey}` },
    actorId: viewer.id,
    tokens,
  };
}

/** `now`: the clock tokens' expiry is counted on (the token keeper's). */
export function createLinearApp(options: { now?: () => Date } = {}): LinearApp {
  const now = (): number => (options.now?.() ?? new Date()).getTime();
  const clientCredentialsToken = (env: AppEnv): Promise<TokenSet> =>
    requestToken(appEnv(env), 'client_credentials', { scope: LINEAR_APP_SCOPES.join(',') }, now());

  return {
    configured: (env) => env.linearApp !== undefined,

    authorizeUrl(env, { state, redirectUri }) {
      const app = appEnv(env);
      const url = new URL(app.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: app.clientId, redirect_uri: redirectUri, response_type: 'code',
        scope: LINEAR_APP_SCOPES.join(','), state, prompt: 'consent', actor: 'app',
      }).toString();
      return url.toString();
    },

    async complete(env, { code, redirectUri }) {
      let tokens: TokenSet;
      try {
        tokens = await requestToken(appEnv(env), 'authorization_code', { code, redirect_uri: redirectUri }, now());
      } catch (error) {
        // A used or expired code is the admin's to retry, not a reason to mark anything.
        if (error instanceof InvalidGrantError) throw new ConsentFailedError(`Linear refused the code (${error.message}): start the install again`);
        throw error;
      }
      return [await installationFor(env, tokens)];
    },

    async refresh(env, _installation, tokens) {
      // A client-credentials token has no refresh token: a new one is asked for (it ends the old one).
      if (tokens.grant === 'client_credentials') return clientCredentialsToken(env);
      if (!tokens.refreshToken) throw new InvalidGrantError('the installation has no refresh token');
      return requestToken(appEnv(env), 'refresh_token', { refresh_token: tokens.refreshToken }, now());
    },

    async disconnect(env, _installation, tokens) {
      await revokeToken(appEnv(env), tokens.accessToken);
    },

    create(env, installation, token, logger: Logger) {
      return new LinearTracker({ token, apiUrl: apiUrlOf(env), log: logger.child({ tracker: 'linear', installation: installation.id }) });
    },

    async clientCredentials(env) {
      return installationFor(env, await clientCredentialsToken(env));
    },
  };
}

export const linearApp: LinearApp = createLinearApp();
