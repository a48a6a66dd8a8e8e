// startLinearSandbox: the in-memory workspace served as Linear's GraphQL API on
// 127.0.0.1, with Linear's authentication, rate-limit answers and headers, and
// (optionally) signed webhooks for every change.
//
// Installed as an OAuth app (TRACKERS.md "Linear OAuth 2.0 apps"), on the same port:
// - `oauthUrls` gives the authorize, token and revoke URLs (LINEAR_AUTHORIZE_URL,
//   LINEAR_TOKEN_URL); the app's client id and secret are `oauth.clientId` /
//   `oauth.clientSecret` (options `oauth.clientId`/`clientSecret`, defaults
//   cascade-sandbox-client / cascade-sandbox-secret). Redirect URIs: `oauth.redirectUris`,
//   default any URI whose path ends in /oauth/linear/callback.
// - GET /oauth/authorize consents at once and answers 302 to redirect_uri?code=&state=,
//   for the workspace `consentTo(id)` chose (default: `store`'s), or the one named by a
//   `workspace=<organisation id or urlKey>` query parameter (sandbox only).
// - A second workspace: `addWorkspace({ name, urlKey?, seed? })` → its SandboxWorkspace
//   ({ id, store, appUser, installed }); `workspaces()` lists them, `store` is the first.
// - Tokens end on the sandbox clock: `now()`, `advanceClock(ms)` (option `now` for a base
//   clock). Lifetimes: `oauth.accessTokenLifetimeSeconds` (default 86399),
//   `oauth.clientCredentialsLifetimeSeconds` (default 30 days). An expired, revoked or
//   unknown token gets 401 with Linear's AUTHENTICATION_ERROR body; the API key still works
//   as before (400 on a bad one).
// - `grantCounts(workspaceId)`: codes exchanged, refreshes (and refused ones),
//   client-credentials grants, revocations. `accessLog()`: every authenticated GraphQL
//   request as { token, workspaceId, operation: query|mutation, operationName, at };
//   `accessLog({ workspaceId })` filters. `clientCredentialsWorkspace(id)` picks the
//   workspace client-credentials tokens cover (default `store`'s).
// - App webhooks: option `appWebhook: { url, secret }` (the app's signing secret) sends
//   every change of every workspace where the app is installed, each with its
//   organizationId; `uninstall(workspaceId)` revokes that workspace's tokens and sends
//   OAuthApp { action: "revoked" }; `changePermissions(workspaceId, { addedTeamIds,
//   removedTeamIds, canAccessAllPublicTeams })` sends PermissionChange (teamAccessChanged).
//   Writes by an actor=app token are the workspace's app user's; its comments carry botActor.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { LINEAR_SANDBOX_SDL } from './schema-sdl.js';
import { LinearStore } from './store.js';
import { rootValue } from './root-resolvers.js';
import { authenticationError, rateLimitedError } from './errors.js';
import { envelopeFor, newWebhookId } from './webhook-payloads.js';
import { WebhookSender, type WebhookSenderLog } from './webhook-sender.js';
import { SandboxOAuthApp, type GrantCounts, type OAuthAppOptions } from './oauth.js';
import { authorize, revoke, token as tokenGrant, type OAuthRouteDeps, type RouteAnswer } from './oauth-routes.js';
import { workspaceOf, type SandboxWorkspace } from './workspaces.js';
import { oauthAppRevoked, permissionChange } from './app-webhook-payloads.js';
import type { FilterContext } from './filters.js';

export interface LinearSandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The key the bot user authenticates with, raw or as `Bearer …`. Default `lin_api_sandbox`. */
  apiKey?: string;
  /** When set, every change is POSTed to `url`, signed with `secret`. Default: no webhooks. */
  webhook?: { url: string; secret: string };
  /** Fills the store before webhooks are attached, so seeding sends nothing. */
  seed?: (store: LinearStore) => void;
  /** Requests allowed per window, reported in X-RateLimit-Requests-Limit. Default 5000. */
  requestsLimit?: number;
  /** Where failed webhook deliveries are reported. Default: nowhere. */
  log?: WebhookSenderLog;
  /** Answer every request this much later, as a real tracker does (widens races in tests). Default 0. */
  latencyMs?: number;
  /** The OAuth app Cascade installs as (see the top of this file). */
  oauth?: OAuthAppOptions;
  /** The app's webhook: every installed workspace's changes and the app events, signed with the app's secret. */
  appWebhook?: { url: string; secret: string };
  /** The base of the sandbox clock (ms); advanceClock moves it forward. Default Date.now. */
  now?: () => number;
}

/** One authenticated GraphQL request: which token, hence which workspace, read or wrote. */
export interface AccessLogEntry {
  /** The API key or the OAuth access token used. */
  token: string;
  workspaceId: string;
  operation: 'query' | 'mutation';
  operationName?: string;
  /** Sandbox-clock ms. */
  at: number;
}

export interface LinearSandbox {
  /** The GraphQL endpoint, for LinearClient's `apiUrl`. */
  apiUrl: string;
  apiKey: string;
  store: LinearStore;
  /** HTTP requests received so far (answered, refused or rate-limited). */
  requestCount(): number;
  /** Answer the next `times` requests as Linear does when rate-limited. */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  /** Answer the next `times` mutations with `status`: 429 as Linear's rate limit (see rateLimitNext), 500 as a server error; queries are served. */
  failNextWrites(times: number, status: 429 | 500): void;
  /** Requests answered with a rate limit so far. */
  rateLimitedCount(): number;
  /** Resolves when every webhook delivery started so far has finished. */
  flushWebhooks(): Promise<void>;
  /** The OAuth app's URLs and credentials. */
  oauth: { clientId: string; clientSecret: string; authorizeUrl: string; tokenUrl: string; revokeUrl: string };
  /** A new workspace (organisation); `seed` fills its store before app webhooks attach. */
  addWorkspace(spec: { name: string; urlKey?: string; seed?: (store: LinearStore) => void }): SandboxWorkspace;
  workspaces(): SandboxWorkspace[];
  /** Consents go to this workspace (id or urlKey) from now on. */
  consentTo(ref: string): void;
  /** Client-credentials tokens cover this workspace (id or urlKey) from now on. */
  clientCredentialsWorkspace(ref: string): void;
  /** The sandbox clock (ms) that tokens expire by. */
  now(): number;
  advanceClock(ms: number): void;
  grantCounts(workspaceId: string): GrantCounts;
  accessLog(filter?: { workspaceId?: string; operation?: 'query' | 'mutation' }): AccessLogEntry[];
  /** The app is removed from the workspace: its tokens die and OAuthApp revoked is sent to the app webhook. */
  uninstall(workspaceId: string): void;
  /** An admin changed the teams the app may reach: PermissionChange is sent to the app webhook. */
  changePermissions(workspaceId: string, change: { addedTeamIds?: string[]; removedTeamIds?: string[]; canAccessAllPublicTeams?: boolean }): void;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const MAX_BODY_BYTES = 1_000_000;
const MAX_ACCESS_LOG = 100_000;

export async function startLinearSandbox(options: LinearSandboxOptions = {}): Promise<LinearSandbox> {
  const apiKey = options.apiKey ?? 'lin_api_sandbox';
  const requestsLimit = options.requestsLimit ?? 5000;
  const schema = buildSchema(LINEAR_SANDBOX_SDL);
  const root = rootValue();
  const store = new LinearStore();
  options.seed?.(store);

  const webhookId = newWebhookId();
  const sender = options.webhook ? new WebhookSender(options.webhook.url, options.webhook.secret, options.log) : undefined;
  if (sender) store.onChange((change) => sender.send(envelopeFor(store, change, { webhookId })));

  let offset = 0;
  const clock = (): number => (options.now?.() ?? Date.now()) + offset;
  // Deliveries are stamped with the wall clock, not the moved one: receivers check webhookTimestamp against theirs.
  const wallClock = (): number => options.now?.() ?? Date.now();
  const oauth = new SandboxOAuthApp(options.oauth ?? {}, clock);
  const appSender = options.appWebhook ? new WebhookSender(options.appWebhook.url, options.appWebhook.secret, options.log) : undefined;
  // Linear creates one webhook per installing workspace, each with its own id.
  const appWebhookIds = new Map<string, string>();
  const appWebhookId = (workspaceId: string): string => {
    const id = appWebhookIds.get(workspaceId) ?? newWebhookId();
    appWebhookIds.set(workspaceId, id);
    return id;
  };
  const workspaces = new Map<string, SandboxWorkspace>();
  const attach = (workspace: SandboxWorkspace): SandboxWorkspace => {
    workspaces.set(workspace.id, workspace);
    if (appSender) {
      workspace.store.onChange((change) => {
        if (workspace.installed) appSender.send(envelopeFor(workspace.store, change, { webhookId: appWebhookId(workspace.id), now: wallClock }));
      });
    }
    return workspace;
  };
  attach(workspaceOf(store));
  const find = (ref: string): SandboxWorkspace | undefined =>
    workspaces.get(ref) ?? [...workspaces.values()].find((w) => w.store.organization.urlKey === ref);
  const required = (ref: string): SandboxWorkspace => {
    const workspace = find(ref);
    if (!workspace) throw new Error(`the Linear sandbox has no workspace ${ref}`);
    return workspace;
  };
  let consentWorkspace: string = store.organization.id;
  let ccWorkspace: string = store.organization.id;
  const oauthDeps: OAuthRouteDeps = {
    app: oauth,
    workspace: (ref) => find(ref ?? consentWorkspace),
    clientCredentialsWorkspace: () => required(ccWorkspace),
    installed: (workspace) => void (workspace.installed = true),
  };
  const log: AccessLogEntry[] = [];

  let requests = 0;
  let rateLimited = 0;
  let limited: { remaining: number; retryAfterSeconds: number } | undefined;
  let failingWrites = { times: 0, status: 500 };
  const windowReset = () => Date.now() + HOUR_MS;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/oauth/')) {
      const answer = await oauthRoute(req, url);
      return send(res, answer.status, answer.body ?? null, answer.headers);
    }
    if (req.method !== 'POST' || url.pathname !== '/graphql') {
      return send(res, 404, { errors: [{ message: 'Not found' }] });
    }
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (raw === null) return send(res, 413, { errors: [{ message: 'Request body too large' }] });

    if (limited && limited.remaining > 0) {
      limited.remaining -= 1;
      rateLimited += 1;
      const resetAt = Date.now() + limited.retryAfterSeconds * 1000;
      return send(res, 400, { errors: [formatError(rateLimitedError())] }, {
        'X-RateLimit-Requests-Limit': String(requestsLimit),
        'X-RateLimit-Requests-Remaining': '0',
        'X-RateLimit-Requests-Reset': String(resetAt),
      });
    }
    const rateHeaders = {
      'X-RateLimit-Requests-Limit': String(requestsLimit),
      'X-RateLimit-Requests-Remaining': String(Math.max(0, requestsLimit - requests)),
      'X-RateLimit-Requests-Reset': String(windowReset()),
    };
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    let context: FilterContext;
    if (token === apiKey) {
      context = { store, viewerId: store.bot.id };
    } else {
      const grant = token.startsWith('lin_oauth_') ? oauth.authenticate(token) : undefined;
      // A bad API key keeps its old answer; a dead OAuth token gets 401, as Linear's API does.
      if (grant === undefined) return send(res, 400, { errors: [formatError(authenticationError())] }, rateHeaders);
      if (typeof grant === 'string') return send(res, 401, { errors: [formatError(authenticationError())] }, rateHeaders);
      const workspace = required(grant.workspaceId);
      const viewer = grant.actor === 'app' ? workspace.appUser : workspace.store.person;
      context = { store: workspace.store, viewerId: (viewer ?? workspace.store.person).id };
    }

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return send(res, 400, { errors: [{ message: 'Body is not valid JSON' }] }, rateHeaders);
    }
    if (typeof body.query !== 'string') return send(res, 400, { errors: [{ message: 'Missing query' }] }, rateHeaders);
    // Benches send hundreds of thousands of requests: keep the newest half once the log is long.
    if (log.length >= MAX_ACCESS_LOG) log.splice(0, MAX_ACCESS_LOG / 2);
    log.push({
      token, workspaceId: context.store.organization.id, operation: /^\s*mutation\b/.test(body.query) ? 'mutation' : 'query',
      ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}), at: clock(),
    });
    if (failingWrites.times > 0 && /^\s*mutation\b/.test(body.query)) {
      failingWrites.times -= 1;
      if (failingWrites.status === 500) return send(res, 500, { errors: [{ message: 'Internal server error' }] });
      rateLimited += 1;
      return send(res, 400, { errors: [formatError(rateLimitedError())] }, { ...rateHeaders, 'X-RateLimit-Requests-Remaining': '0', 'X-RateLimit-Requests-Reset': String(Date.now() + 1000) });
    }
    const result = await graphql({
      schema,
      source: body.query,
      rootValue: root,
      contextValue: context,
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    });
    const errors = result.errors?.map(formatError);
    // Linear answers a document that fails validation with 400, resolver errors with 200.
    const status = result.data === undefined && errors ? 400 : 200;
    return send(res, status, { ...(errors ? { errors } : {}), data: result.data ?? null }, rateHeaders);
  };

  const oauthRoute = async (req: IncomingMessage, url: URL): Promise<RouteAnswer> => {
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(url, oauthDeps);
    if (req.method !== 'POST') return { status: 404, body: { error: 'not_found' } };
    const raw = (await readBody(req)) ?? '';
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (url.pathname === '/oauth/token') return tokenGrant(req.headers['content-type'], raw, oauthDeps);
    if (url.pathname === '/oauth/revoke') return revoke(req.headers.authorization, raw, oauthDeps);
    return { status: 404, body: { error: 'not_found' } };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { errors: [{ message: error instanceof Error ? error.message : 'Internal error' }] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    apiUrl: `${origin}/graphql`,
    apiKey,
    store,
    requestCount: () => requests,
    rateLimitedCount: () => rateLimited,
    rateLimitNext(times, retryAfterSeconds) {
      limited = { remaining: times, retryAfterSeconds };
    },
    failNextWrites(times, status) {
      failingWrites = { times, status };
    },
    flushWebhooks: async () => {
      await sender?.flush();
      await appSender?.flush();
    },
    oauth: {
      clientId: oauth.clientId, clientSecret: oauth.clientSecret,
      authorizeUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}/oauth/token`, revokeUrl: `${origin}/oauth/revoke`,
    },
    addWorkspace(spec) {
      const added = new LinearStore(() => new Date(clock()));
      added.organization.name = spec.name;
      added.organization.urlKey = spec.urlKey ?? (spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace');
      spec.seed?.(added);
      return attach(workspaceOf(added));
    },
    workspaces: () => [...workspaces.values()],
    consentTo(ref) {
      consentWorkspace = required(ref).id;
    },
    clientCredentialsWorkspace(ref) {
      ccWorkspace = required(ref).id;
    },
    now: clock,
    advanceClock(ms) {
      offset += ms;
    },
    grantCounts: (workspaceId) => oauth.grantCounts(workspaceId),
    accessLog: (filter = {}) => log.filter((e) => (filter.workspaceId === undefined || e.workspaceId === filter.workspaceId) && (filter.operation === undefined || e.operation === filter.operation)),
    uninstall(workspaceId) {
      const workspace = required(workspaceId);
      oauth.revokeWorkspace(workspace.id);
      workspace.installed = false;
      appSender?.send(oauthAppRevoked(workspace.id, oauth.clientId, appWebhookId(workspace.id), wallClock()));
    },
    changePermissions(workspaceId, change) {
      const workspace = required(workspaceId);
      const ids = new Set(workspace.teams?.ids ?? []);
      for (const id of change.addedTeamIds ?? []) ids.add(id);
      for (const id of change.removedTeamIds ?? []) ids.delete(id);
      workspace.teams = { allPublic: change.canAccessAllPublicTeams ?? true, ids: [...ids] };
      const appUserId = workspace.appUser?.id ?? '';
      appSender?.send(permissionChange({ organizationId: workspace.id, oauthClientId: oauth.clientId, appUserId, ...change }, appWebhookId(workspace.id), wallClock()));
    },
    close() {
      closing ??= (async () => {
        await sender?.flush();
        await appSender?.flush();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function formatError(error: GraphQLError): Record<string, unknown> {
  return error.toJSON() as unknown as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
