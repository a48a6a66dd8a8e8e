// Cascade installed as a Jira Cloud OAuth 2.0 (3LO) app (PRODUCT.md "Installed
// as an app"): one consent may cover several sites, each stored as its own
// installation (workspace id = cloudId) acting as the account that consented;
// each gets a dynamic webhook at Cascade's URL for it, whose deliveries prove
// themselves with a JWT signed with the client secret. Atlassian has no revoke
// endpoint: a disconnect deletes the webhooks, and the admin removes the app
// under Connected apps.
import type { AppInstallEnv as AppEnv } from '../app-environment.js';
import type { JiraAppEnv } from '../app-environment.js';
import type { InstallationRecord, NewInstallation } from '../../records/installation.js';
import type { TrackerApp } from '../descriptor.js';
import { jiraJwtRefusal } from './app-jwt.js';
import { accessibleResources, authorizeUrl, exchangeCode, refreshTokens, siteApiUrl } from './app-oauth.js';
import { deleteWebhooks, keepWebhook, registerWebhook, webhookJql } from './app-webhooks.js';
import { createJiraClient, type JiraAuth } from './jira-client.js';
import { JiraTracker } from './jira-tracker.js';

const REQUEST_TIMEOUT_MS = 30_000;

function appEnv(env: AppEnv): JiraAppEnv {
  if (!env.jiraApp) throw new Error('JIRA_CLIENT_ID and JIRA_CLIENT_SECRET are not set');
  return env.jiraApp;
}

const siteClient = (env: AppEnv, cloudId: string, auth: JiraAuth) => createJiraClient(siteApiUrl(appEnv(env), cloudId), auth, REQUEST_TIMEOUT_MS);

/** The URL Jira delivers an installation's events to: the id in the path, as the payload names no site. */
export function deliveryUrl(env: AppEnv, baseUrl: string, installationId: string): string {
  return `${(env.publicUrl ?? baseUrl).replace(/\/+$/, '')}/webhooks/jira/${encodeURIComponent(installationId)}`;
}

export const jiraApp: TrackerApp = {
  configured: (env) => env.jiraApp !== undefined,

  authorizeUrl: (env, request) => authorizeUrl(appEnv(env), request),

  async complete(env, request) {
    const app = appEnv(env);
    const tokens = await exchangeCode(app, request.code, request.redirectUri, new Date());
    const sites = await accessibleResources(app, tokens.accessToken);
    const made: NewInstallation[] = [];
    for (const site of sites) {
      // A 3LO app acts as the person who consented: their account is whose comments and labels are Cascade's.
      const me = await siteClient(env, site.id, { accessToken: tokens.accessToken }).myself.getCurrentUser();
      made.push({ workspace: { id: site.id, name: site.name, url: site.url }, actorId: me.accountId, tokens });
    }
    return made;
  },

  refresh: (env, _installation, tokens) => refreshTokens(appEnv(env), tokens, new Date()),

  async afterInstall(env, installation, tokens, context) {
    const client = siteClient(env, installation.workspace.id, { accessToken: tokens.accessToken });
    // A new consent for an installed site: its old webhook goes first (Jira keeps five per app and account).
    await deleteWebhooks(client, installation.webhook?.ids ?? []).catch(() => undefined);
    const webhook = await registerWebhook(client, deliveryUrl(env, context.baseUrl, installation.id), webhookJql(context.scope));
    return { webhook };
  },

  async keep(env, installation, token, context) {
    const client = siteClient(env, installation.workspace.id, { tokens: token });
    // PUBLIC_URL when set (it may have moved since the install), else where the webhook points now.
    const url = env.publicUrl || !installation.webhook ? deliveryUrl(env, context.baseUrl, installation.id) : installation.webhook.url;
    const webhook = await keepWebhook(client, installation.webhook, { url, jql: webhookJql(context.scope) }, context.now);
    return { webhook };
  },

  async disconnect(env, installation, tokens) {
    // Best effort, with the token the install service refreshed if it was ending (no refresh here:
    // the sites of one consent share its refresh token, which only the token keeper rotates).
    await deleteWebhooks(siteClient(env, installation.workspace.id, { accessToken: tokens.accessToken }), installation.webhook?.ids ?? []);
  },

  create: (env, installation: InstallationRecord, token) =>
    new JiraTracker({ host: siteApiUrl(appEnv(env), installation.workspace.id), auth: { tokens: token }, requestTimeoutMs: REQUEST_TIMEOUT_MS }),

  webhook: {
    path: '/webhooks/jira/:installation',
    deliveryHeader: 'x-atlassian-webhook-identifier',
    refusal: (authorization, env, nowMs) => (env.jiraApp ? jiraJwtRefusal(authorization, [env.jiraApp.clientSecret], nowMs) : 'not configured'),
  },
};
