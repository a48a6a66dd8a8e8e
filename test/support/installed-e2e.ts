// Cascade installed as a Linear app in several workspaces, end to end: one
// Linear sandbox per workspace (each its own organization, token and bot), all
// delivering webhooks signed with the app's one secret to the real receiver;
// installations stored in Redis with their tokens sealed, as a consent stores
// them. Until the Linear descriptor has its own app, a test app builds the real
// LinearTracker for an installation with the token its token source gives.
import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { pino, type Logger } from 'pino';
import { Redis } from 'ioredis';
import { readEnvironment } from '../../src/config/environment.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { freePort } from '../../cli/redis-server.js';
import { buildLinearDelivery, seedDemoWorkspace, startLinearSandbox, type LinearSandbox } from '../../sandbox/linear/index.js';
import type { LinearWebhookEnvelope } from '../../sandbox/linear/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { linear } from '../../src/trackers/linear/descriptor.js';
import { registerTracker } from '../../src/trackers/registry.js';
import type { AccessTokenSource, TrackerApp } from '../../src/trackers/descriptor.js';
import type { Tracker } from '../../src/trackers/tracker.js';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { secretBox } from '../../src/installs/secret-box.js';
import type { NewInstallation, TokenSet } from '../../src/records/installation.js';
import { InvalidGrantError } from '../../src/trackers/app-errors.js';
import { Inbox } from '../../src/queue/inbox.js';
import { testPrefix } from './test-prefix.js';
import { exampleConfig } from './example-config.js';
import { pendingWork, settle } from './e2e.js';

export interface Workspace {
  sandbox: LinearSandbox;
  /** Its installation's id. */
  installation: string;
}

export interface InstalledE2E {
  cascade: RunningCascade;
  url: string;
  secret: string;
  adminToken: string;
  workspaces: Workspace[];
  store: InstallationStore;
  /** Posts a delivery signed with the app's secret, as Linear sends it; answers the receiver's status and body. */
  deliver(envelope: Record<string, unknown>): Promise<{ status: number; body: { status?: string } }>;
  /** Resolves once every webhook is delivered and every queue, the installations' check queues too, has settled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface InstalledOptions {
  workspaces?: number;
  /** Adds to each workspace's demo seed, before its webhooks are attached (nothing is delivered for it). */
  seed?: (store: LinearSandbox['store'], index: number) => void;
  /** Each workspace's stored token set (default: one that does not expire). */
  tokens?: (accessToken: string) => TokenSet;
  env?: Record<string, string>;
  logger?: Logger;
}

/** Where each workspace's API is, by organization id: what the real app reads from Linear's own URL. */
const apiUrls = new Map<string, string>();

/** What the test app's OAuth side answers: refresh refused for these workspaces (the refresh token is dead), and the next consent's workspaces. */
export const testApp = { refuseRefresh: new Set<string>(), nextConsent: [] as NewInstallation[] };

/**
 * The Linear descriptor with a test app whose adapter reads and writes with the
 * installation's token only (the token source's), on that workspace's sandbox.
 */
export function registerTestLinearApp(): void {
  const app: TrackerApp = {
    configured: () => true,
    authorizeUrl: (_env, request) => `http://127.0.0.1/authorize?state=${encodeURIComponent(request.state)}`,
    complete: async () => testApp.nextConsent.splice(0),
    refresh: async (_env, installation, tokens) => {
      if (testApp.refuseRefresh.has(installation.workspace.id)) throw new InvalidGrantError('invalid_grant');
      return { ...tokens, expiresAt: undefined };
    },
    disconnect: async () => undefined,
    create(_env, installation, token) {
      const apiUrl = apiUrls.get(installation.workspace.id);
      if (!apiUrl) throw new Error(`no sandbox for workspace ${installation.workspace.id}`);
      return withToken(token, (accessToken) => new LinearTracker({ accessToken, apiUrl }));
    },
  };
  registerTracker({ ...linear, app });
}

/** A Tracker whose every call first asks the token source for the current token (a new adapter when it changed). */
function withToken(token: AccessTokenSource, make: (accessToken: string) => Tracker): Tracker {
  const sample = make('sample');
  let current: { token: string; tracker: Tracker } | undefined;
  const adapter = async (): Promise<Tracker> => {
    const now = await token.current();
    if (current?.token !== now) current = { token: now, tracker: make(now) };
    return current.tracker;
  };
  return new Proxy(sample, {
    get(target, prop) {
      if (prop === 'invalidate') return (container: Parameters<Tracker['invalidate']>[0]) => current?.tracker.invalidate(container);
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const tracker = (await adapter()) as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
        return tracker[prop]!(...args);
      };
    },
  });
}

export async function startInstalledE2E(options: InstalledOptions = {}): Promise<InstalledE2E> {
  registerTestLinearApp();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secret = randomUUID();
  const secretKey = randomBytes(32).toString('hex');
  const prefix = testPrefix('installed');
  const installsPrefix = testPrefix('installs');
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
  const store = new InstallationStore(redis, installKeys(installsPrefix));
  const box = secretBox(secretKey);
  const workspaces: Workspace[] = [];
  for (let i = 0; i < (options.workspaces ?? 2); i++) {
    // Each workspace's bot answers only its own token.
    const accessToken = `lin_oauth_${randomUUID()}`;
    const sandbox = await startLinearSandbox({ apiKey: accessToken, seed: (s) => {
        seedDemoWorkspace(s);
        options.seed?.(s, i);
      }, webhook: { url: `${url}/webhooks/linear`, secret } });
    const { organization } = sandbox.store;
    apiUrls.set(organization.id, sandbox.apiUrl);
    const tokens: TokenSet = options.tokens?.(accessToken) ?? { accessToken, grant: 'authorization_code' };
    const at = new Date().toISOString();
    const { id } = await store.upsert({
      tracker: 'linear',
      tenant: 'default',
      workspace: { id: organization.id, name: organization.name, urlKey: organization.urlKey },
      status: 'active',
      actorId: sandbox.store.bot.id,
      sealedTokens: box.seal(JSON.stringify(tokens)),
      expiresAt: tokens.expiresAt,
      installedAt: at,
      updatedAt: at,
    });
    workspaces.push({ sandbox, installation: id });
  }
  const adminToken = randomUUID();
  const env = readEnvironment({
    PUBLIC_URL: url,
    CASCADE_QUIET_MS: '150',
    LINEAR_WEBHOOK_SECRET: secret,
    CASCADE_SECRET_KEY: secretKey,
    ADMIN_TOKEN: `e2e:${adminToken}`,
    ...options.env,
  });
  const cascade = await startCascade({
    role: 'all',
    env,
    redisUrl: inject('redisUrl'),
    logger: options.logger ?? pino({ level: 'silent' }),
    // No API key: every workspace is an installation.
    trackers: {},
    seedConfig: exampleConfig(),
    prefix,
    installsPrefix,
    installationPollMs: 100,
  });
  await cascade.app?.listen({ port, host: '127.0.0.1' });
  const e2e: InstalledE2E = {
    cascade,
    url,
    secret,
    adminToken,
    workspaces,
    store,
    async deliver(envelope) {
      const delivery = buildLinearDelivery(secret, { webhookTimestamp: Date.now(), webhookId: randomUUID(), createdAt: new Date().toISOString(), ...envelope } as unknown as LinearWebhookEnvelope);
      const response = await fetch(`${url}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      return { status: response.status, body: (await response.json()) as { status?: string } };
    },
    async idle() {
      const { queues } = cascade;
      const checks = workspaces.map((w) => queues.checksFor({ tracker: 'linear', installation: w.installation }));
      await settle({
        flush: () => Promise.all(workspaces.map((w) => w.sandbox.flushWebhooks())),
        busy: () => Promise.all([new Inbox(cascade.redis, cascade.keys).length(), ...[queues.events, queues.checks.linear, ...checks, queues.fanout, queues.sweeps].map(pendingWork)]),
      });
    },
    async close() {
      await cascade.close();
      await Promise.allSettled(workspaces.map((w) => w.sandbox.close()));
      redis.disconnect();
    },
  };
  return e2e;
}

