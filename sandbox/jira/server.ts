// Starts the Jira Cloud-compatible sandbox on 127.0.0.1: auth, request counting
// and injected 429s in front of the REST routes, webhooks behind the store.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import { registerJiraRoutes } from './routes.js';
import { registerCommentPropertyRoutes } from './comment-properties.js';
import { JiraStore } from './store.js';
import { JiraSandboxError, type SandboxUser } from './types.js';
import { payloadsFor, WebhookDispatcher, type DeliveryRecord } from './webhooks.js';
import { SandboxClock, SandboxOAuth, type Grant, type SandboxOAuthOptions, type SiteInfo } from './oauth.js';
import { DynamicWebhooks } from './dynamic-webhooks.js';

export interface JiraSandboxOptions {
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A store to serve; default a new empty one. */
  store?: JiraStore;
  /** Where to POST webhook deliveries, signed with `secret`; default none. */
  webhook?: { url: string; secret: string } | null;
  /** Answer every request this much later, as a real site does (widens races in tests). Default 0. */
  latencyMs?: number;
  /** This site's cloudId, as accessible-resources names it; default a new one. */
  cloudId?: string;
  /** This site's name; default "Sandbox". */
  siteName?: string;
  /** Further sites on the same server, reached only through /ex/jira/{cloudId} (one consent may cover several). */
  sites?: Array<{ cloudId: string; name: string; store: JiraStore }>;
  /** The OAuth 2.0 (3LO) apps the stand-in authorization server knows; default none. */
  oauth?: SandboxOAuthOptions;
}

export interface JiraSandbox {
  /** e.g. http://127.0.0.1:43121 — what JIRA_BASE_URL would be. */
  baseUrl: string;
  store: JiraStore;
  /** HTTP requests answered so far (rate-limited ones included). */
  requestCount(): number;
  /** Method and URL of each request so far, for tests that assert on what was asked. */
  requests(): Array<{ method: string; url: string }>;
  /** Answer the next `times` requests with 429 and `Retry-After: retryAfterSeconds`. */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  /** Answer the next `times` writes to issues (labels and fields, comments) with `status` (429: with `Retry-After: 1`); reads are served. */
  failNextWrites(times: number, status: 429 | 500): void;
  /** Start or stop sending webhooks (the receiver may start after the sandbox). */
  setWebhook(target: { url: string; secret: string } | null): void;
  /** Resolves when every delivery sent so far has been answered or has failed. */
  flushWebhooks(): Promise<void>;
  /** Every delivery attempted, with its HTTP status or error. */
  deliveries(): DeliveryRecord[];
  /** The first site's cloudId. */
  cloudId: string;
  /** Every site this server holds. */
  sites(): SiteInfo[];
  /** The store of a site by cloudId. */
  siteStore(cloudId: string): JiraStore | undefined;
  /** The sandbox's own clock (token lifetimes, webhook expiry): tests move it forward. */
  clock: SandboxClock;
  /** The stand-in for auth.atlassian.com: /authorize, /oauth/token, accessible-resources. */
  oauth: SandboxOAuth;
  /** Webhooks apps registered through POST /rest/api/3/webhook, and their deliveries. */
  dynamicWebhooks: DynamicWebhooks;
  close(): Promise<void>;
}

/** An issue's fields and labels, its comments. */
const ISSUE_WRITE = /^\/rest\/api\/3\/issue\/[^/]+(\/comment(\/[^/]+)?)?$/;

const NOT_AUTHENTICATED = 'You are not authenticated. Authentication required to perform this operation.';

function authenticate(store: JiraStore, header: string | undefined): SandboxUser | undefined {
  const [scheme, credentials = ''] = (header ?? '').split(' ');
  const users = [...store.users.values()];
  if (scheme?.toLowerCase() === 'bearer' && credentials) return users.find((u) => u.accessToken === credentials);
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const email = decoded.slice(0, colon).toLowerCase();
  const token = decoded.slice(colon + 1);
  return users.find((u) => u.email?.toLowerCase() === email && (u.apiToken === undefined || u.apiToken === token));
}

export async function startJiraSandbox(options: JiraSandboxOptions = {}): Promise<JiraSandbox> {
  const store = options.store ?? new JiraStore();
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const actors = new WeakMap<FastifyRequest, SandboxUser>();
  const appGrants = new WeakMap<FastifyRequest, Grant>();
  const clock = new SandboxClock();
  const sites = [{ cloudId: options.cloudId ?? randomUUID(), name: options.siteName ?? 'Sandbox', store, primary: true }, ...(options.sites ?? []).map((s) => ({ ...s, primary: false }))];
  const siteUrl = (site: { cloudId: string; primary: boolean }): string => (site.primary ? baseUrl : `${baseUrl}/ex/jira/${site.cloudId}`);
  const siteInfos = (): SiteInfo[] => sites.map((s) => ({ cloudId: s.cloudId, name: s.name, url: siteUrl(s) }));
  const oauth = new SandboxOAuth(clock, siteInfos, options.oauth ?? { clients: [] });
  const dynamicWebhooks = new DynamicWebhooks(clock, (clientId) => oauth.clientSecret(clientId));
  const log: Array<{ method: string; url: string }> = [];
  let limited = { times: 0, retryAfterSeconds: 0 };
  let failingWrites = { times: 0, status: 500 };
  let dispatcher: WebhookDispatcher | null = null;
  // Every dispatcher ever used, so a flush also waits for deliveries sent before a setWebhook.
  const dispatchers: WebhookDispatcher[] = [];
  let baseUrl = '';

  // Jira takes an empty request with `Content-Type: application/json` (jira.js 6 sends one
  // on every DELETE, since some Jira deletes answer 415 without it); Fastify would refuse it.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    String(body).trim() === '' ? done(null, undefined) : json(request, String(body), done),
  );

  app.addHook('onRequest', async (request, reply) => {
    log.push({ method: request.method, url: request.url });
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (limited.times > 0) {
      limited.times--;
      return reply
        .code(429)
        .header('retry-after', String(limited.retryAfterSeconds))
        .header('x-ratelimit-remaining', '0')
        .send({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    }
    if (failingWrites.times > 0 && request.method !== 'GET' && ISSUE_WRITE.test(request.url.split('?')[0]!.replace(/^\/ex\/jira\/[^/]+/, ''))) {
      failingWrites.times--;
      if (failingWrites.status === 429) reply.header('retry-after', '1');
      return reply.code(failingWrites.status).send({ errorMessages: [failingWrites.status === 429 ? 'Rate limit exceeded.' : 'Internal server error'], errors: {} });
    }
    const path = request.url.split('?')[0]!;
    // The authorization server checks its own callers (client secrets, tokens).
    if (path === '/authorize' || path.startsWith('/oauth/')) return;
    const gateway = /^\/ex\/jira\/([^/]+)\//.exec(path);
    if (gateway) {
      // The API gateway: a 3LO token acts as the account that consented, on the sites it consented for.
      const grant = oauth.authenticate(request.headers.authorization);
      const site = sites.find((s) => s.cloudId === gateway[1]);
      const user = grant && site && grant.cloudIds.includes(site.cloudId) ? site.store.users.get(grant.accountId) : undefined;
      if (!grant || !user) return reply.code(401).send({ code: 401, message: 'Unauthorized; scope does not match' });
      actors.set(request, user);
      appGrants.set(request, grant);
      return;
    }
    const user = authenticate(store, request.headers.authorization);
    if (!user) return reply.code(401).send({ errorMessages: [NOT_AUTHENTICATED], errors: {} });
    actors.set(request, user);
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof JiraSandboxError) return reply.code(error.status).send(error.body());
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ errorMessages: [error instanceof Error ? error.message : String(error)], errors: {} });
    console.error('jira sandbox: internal error', error);
    return reply.code(500).send({ errorMessages: ['Internal server error'], errors: {} });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ errorMessages: [`No route for ${request.method} ${request.url.split('?')[0]}`], errors: {} }),
  );

  const routeContext = {
    store,
    baseUrl: () => baseUrl,
    actor: (request: FastifyRequest) => actors.get(request) ?? store.admin,
  };
  registerJiraRoutes(app, routeContext);
  registerCommentPropertyRoutes(app, routeContext);
  oauth.register(app);
  const appOf = (request: FastifyRequest): { clientId: string; accountId: string } | undefined => appGrants.get(request);
  // Without the gateway's prefix the site takes API tokens only: dynamic webhooks answer 403 there.
  dynamicWebhooks.routes(app, undefined, appOf);
  for (const site of sites) {
    await app.register(
      async (scoped) => {
        const siteContext = { store: site.store, baseUrl: () => `${baseUrl}/ex/jira/${site.cloudId}`, actor: (request: FastifyRequest) => actors.get(request) ?? site.store.admin };
        registerJiraRoutes(scoped, siteContext);
        registerCommentPropertyRoutes(scoped, siteContext);
        dynamicWebhooks.routes(scoped, site.cloudId, appOf);
      },
      { prefix: `/ex/jira/${site.cloudId}` },
    );
    site.store.onChange((change) => {
      const payloads = payloadsFor(site.store, siteUrl(site), change);
      dynamicWebhooks.dispatch(site.cloudId, site.store, change, payloads);
    });
  }

  const setWebhook = (target: { url: string; secret: string } | null): void => {
    dispatcher = target ? new WebhookDispatcher(target) : null;
    if (dispatcher) dispatchers.push(dispatcher);
  };
  setWebhook(options.webhook ?? null);
  store.onChange((change) => {
    if (!dispatcher) return;
    for (const payload of payloadsFor(store, baseUrl, change)) dispatcher.send(payload);
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('jira sandbox: no TCP address after listen');
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    store,
    requestCount: () => log.length,
    requests: () => [...log],
    rateLimitNext: (times, retryAfterSeconds) => {
      limited = { times, retryAfterSeconds };
    },
    failNextWrites: (times, status) => {
      failingWrites = { times, status };
    },
    setWebhook,
    flushWebhooks: async () => {
      await Promise.all([...dispatchers.map((d) => d.flush()), dynamicWebhooks.flush()]);
    },
    deliveries: () => dispatchers.flatMap((d) => d.log),
    cloudId: sites[0]!.cloudId,
    sites: siteInfos,
    siteStore: (cloudId) => sites.find((s) => s.cloudId === cloudId)?.store,
    clock,
    oauth,
    dynamicWebhooks,
    close: () => {
      closing ??= (async () => {
        setWebhook(null);
        await Promise.all([...dispatchers.map((d) => d.flush()), dynamicWebhooks.flush()]);
        await app.close();
      })();
      return closing;
    },
  };
}
