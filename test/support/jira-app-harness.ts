// Cascade installed as a Jira app against the Jira sandbox: the sandbox plays
// Atlassian's authorization server and API gateway (two sites, one consenting
// account), Cascade's receiver (role `serve`) listens on a real port with the
// app's credentials, and installs go through the real routes. Each harness has
// its own Redis prefixes.
import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { readEnvironment, type AppEnv } from '../../src/config/environment.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { freePort } from '../../cli/redis-server.js';
import { JiraStore, seedDemoJira, startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/index.js';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { secretBox, type SecretBox } from '../../src/installs/secret-box.js';
import { TokenKeeper } from '../../src/installs/token-keeper.js';
import { TRACKERS } from '../../src/trackers/registry.js';
import type { AccessTokenSource } from '../../src/trackers/descriptor.js';
import type { InstallationRecord } from '../../src/records/installation.js';
import type { TrackerRegistry } from '../../src/trackers/tracker-registry.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { keepAppWebhooks, type KeepOutcome } from '../../workers/keep-app-webhooks.js';
import { exampleConfig } from './example-config.js';
import { deleteKeysUnder, testPrefix } from './test-prefix.js';
import { tenantPrefix } from '../../src/tenants/tenant-ids.js';

export const CONSENTER = { accountId: '712020:cascade-consent', displayName: 'Cascade (Acme)', email: 'cascade@acme.example' };
export const LAB_CLOUD_ID = 'b7c1e0a2-lab-site';

export interface JiraAppHarness {
  sandbox: JiraSandbox;
  /** The second site the consent covers. */
  labStore: JiraStore;
  cascade: RunningCascade;
  url: string;
  env: AppEnv;
  clientId: string;
  clientSecret: string;
  installs: InstallationStore;
  box: SecretBox;
  redis: Redis;
  /** The queues' and stores' key prefix. */
  prefix: string;
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POST /admin/installs/jira (with `body`: for a tenant), the consent at the sandbox, the callback: what the callback page said. */
  install(body?: { tenant?: string }): Promise<{ authorizeUrl: string; page: Response }>;
  record(cloudId: string): Promise<InstallationRecord>;
  /** A token keeper as another process would have it; `aheadMs` moves its clock forward. */
  tokenKeeper(aheadMs?: number): TokenKeeper;
  tokenSource(id: string, keeper?: TokenKeeper): AccessTokenSource;
  /** One run of the daily keeper, as a worker process would run it. */
  keep(options?: { aheadMs?: number; env?: AppEnv }): Promise<KeepOutcome>;
  /** Starts workers (role `work`) whose Jira adapter is the given registry's. */
  startWorkers(trackers: TrackerRegistry): Promise<RunningCascade>;
  close(): Promise<void>;
}

export interface JiraAppHarnessOptions {
  config?: CascadeConfig;
  accessTokenTtlMs?: number;
  /** How far ahead of the real time the receiver's clock runs (its token keeper). Default 0. */
  cascadeAheadMs?: number;
}

export async function startJiraAppHarness(options: JiraAppHarnessOptions = {}): Promise<JiraAppHarness> {
  const clientId = `cascade-${randomUUID()}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const adminToken = randomUUID();
  const store = new JiraStore();
  seedDemoJira(store);
  store.createUser({ ...CONSENTER, accountType: 'atlassian' });
  const labStore = new JiraStore();
  labStore.createProject({ key: 'LAB', name: 'Labs' });
  labStore.createUser({ ...CONSENTER, accountType: 'atlassian' });
  const sandbox = await startJiraSandbox({
    store,
    siteName: 'Acme',
    sites: [{ cloudId: LAB_CLOUD_ID, name: 'Acme Labs', store: labStore }],
    oauth: { clients: [{ clientId, clientSecret }], accessTokenTtlMs: options.accessTokenTtlMs },
  });
  sandbox.oauth.consentAs(CONSENTER.accountId);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secretKey = randomBytes(32).toString('hex');
  const env = readEnvironment({
    CASCADE_QUIET_MS: '100',
    ADMIN_TOKEN: `test:${adminToken}`,
    CASCADE_SECRET_KEY: secretKey,
    JIRA_CLIENT_ID: clientId,
    JIRA_CLIENT_SECRET: clientSecret,
    ATLASSIAN_AUTH_URL: sandbox.baseUrl,
    ATLASSIAN_API_URL: sandbox.baseUrl,
    PUBLIC_URL: url,
  });
  const prefix = testPrefix('jira-app');
  const installsPrefix = testPrefix('jira-app-installs');
  const logger = pino({ level: 'silent' });
  const config = options.config ?? exampleConfig();
  const ahead = options.cascadeAheadMs ?? 0;
  const cascade = await startCascade({ role: 'serve', env, redisUrl: inject('redisUrl'), logger, trackers: {}, seedConfig: config, prefix, installsPrefix, checkOffThread: false, now: () => new Date(Date.now() + ahead) });
  await cascade.app?.listen({ port, host: '127.0.0.1' });
  const redis = new Redis(inject('redisUrl'));
  const installs = new InstallationStore(redis, installKeys(installsPrefix));
  const box = secretBox(secretKey);
  const others: RunningCascade[] = [];

  const tokenKeeper = (aheadMs = 0): TokenKeeper =>
    new TokenKeeper({
      store: installs,
      box,
      refresh: () => (installation, tokens) => TRACKERS.jira.app!.refresh(env, installation, tokens),
      logger,
      now: () => new Date(Date.now() + aheadMs),
    });
  const tokenSource = (id: string, keeper = tokenKeeper()): AccessTokenSource => ({ current: () => keeper.accessToken(id), afterUnauthorised: (stale) => keeper.accessToken(id, stale) });
  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    sandbox,
    labStore,
    cascade,
    url,
    env,
    clientId,
    clientSecret,
    installs,
    box,
    redis,
    prefix,
    admin,
    async install(body = {}) {
      const begun = await admin('POST', '/admin/installs/jira', body);
      if (begun.status !== 200) throw new Error(`POST /admin/installs/jira answered ${begun.status}: ${await begun.text()}`);
      const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
      const consent = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = consent.headers.get('location');
      if (consent.status !== 302 || !location) throw new Error(`the sandbox's consent answered ${consent.status}: ${await consent.text()}`);
      return { authorizeUrl, page: await fetch(location) };
    },
    async record(cloudId) {
      const found = await installs.byWorkspace('jira', cloudId);
      if (!found) throw new Error(`no installation for site ${cloudId}`);
      return found;
    },
    tokenKeeper,
    tokenSource,
    keep: (opts = {}) => {
      const keeper = tokenKeeper(opts.aheadMs);
      return keepAppWebhooks({ env: opts.env ?? env, store: installs, tokens: keeper, scopeOf: async () => config.rules?.scope?.jira?.projects ?? null, logger, now: () => new Date(Date.now() + (opts.aheadMs ?? 0)) });
    },
    async startWorkers(trackers) {
      const workers = await startCascade({ role: 'work', env, redisUrl: inject('redisUrl'), logger, trackers, prefix, installsPrefix });
      others.push(workers);
      return workers;
    },
    async close() {
      await Promise.allSettled(others.map((c) => c.close()));
      await cascade.close();
      redis.disconnect();
      await sandbox.close();
      // A tenant a test made keeps its keys under its own tag.
      await Promise.all(['acme', 'tenants'].map((t) => deleteKeysUnder(tenantPrefix(prefix, t))));
    },
  };
}
