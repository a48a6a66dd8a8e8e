// Assembles Cascade for one role: the receiver and HTTP API ('serve'), the
// workers and schedulers ('work'), or both ('all'). Used by the CLI and by the
// end-to-end tests, which pass their own Redis prefix, trackers and clock.
import type { FastifyInstance } from 'fastify';
import { createRedisClient, type RedisClient } from '../src/store/redis-client.js';
import type { Logger } from 'pino';
import { buildApp } from '../src/app.js';
import type { AppEnv } from '../src/config/environment.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { createMetrics, type Metrics } from '../src/metrics.js';
import type { Queues } from '../src/queue/queues.js';
import type { ConfigStore } from '../src/store/config-store.js';
import type { Keys } from '../src/store/keys.js';
import type { VerdictStore } from '../src/store/verdict-store.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import { startWorkers, type RunningWorkers } from './start-workers.js';
import type { WorkerContext } from '../workers/worker-context.js';
import type { Processor } from 'bullmq';
import type { DigestStore } from '../src/store/digest-store.js';
import { digestRoutes } from '../src/routes/digest.js';
import { requestDigestRefresh } from '../src/queue/request-digest-refresh.js';
import { QUEUE_NAMES } from '../src/queue/job-types.js';
import { runDigestJob, scheduleDigest } from '../workers/digest-job.js';
import { adminPlugin } from '../src/routes/admin/index.js';
import { reportRedisErrors } from './redis-errors.js';
import { perTracker, TRACKER_IDS, TRACKERS } from '../src/trackers/registry.js';
import { orderedStop } from './ordered-stop.js';
import { InstallationStore, installKeys } from '../src/installs/installation-store.js';
import { InstallationAdapters } from '../src/installs/installation-adapters.js';
import { WorkspaceDirectory } from '../src/installs/workspace-directory.js';
import type { TrackerId } from '../src/strategy/types.js';
import { InstallService } from '../src/installs/install-service.js';
import { secretBox } from '../src/installs/secret-box.js';
import { oauthCallbackRoutes } from '../src/routes/oauth-callback.js';
import { settingsPageRoutes } from '../src/routes/settings-page.js';
import { linearApp } from '../src/trackers/linear/app.js';
import { installByClientCredentials, warnAboutPastedLinearToken } from './linear-app-startup.js';
import { appWebhookRoutes } from '../src/routes/app-webhooks.js';
import { TokenKeeper } from '../src/installs/token-keeper.js';
import { keepAppWebhooks } from '../workers/keep-app-webhooks.js';
import { TenantStore } from '../src/tenants/tenant-store.js';
import { TenantDirectory } from '../src/tenants/tenant-directory.js';
import { DEFAULT_TENANT } from '../src/tenants/tenant-ids.js';
import { digestPartsOf, tenantRuntimes, type TenantRuntimes } from './tenant-runtime.js';
import { startTenantWorkers, type RunningTenantWorkers } from './tenant-workers.js';

export type Role = 'all' | 'serve' | 'work';

/** How long the inbox mover of a tenant other than `default` leaves its empty inbox (the default's: 25 ms). */
const TENANT_INBOX_IDLE_MS = 200;

/**
 * A stalled Redis (up, but not answering: paused, swapping, a long script) must
 * not hold webhook answers past the trackers' 5 s: the inbox connection gives
 * up on a command after this long and the sender gets 503 and retries.
 */
export const WEBHOOK_COMMAND_TIMEOUT_MS = 750;
/** The receiver role's other connections (health, admin and digest pages): never hang for ever either. */
const RECEIVER_COMMAND_TIMEOUT_MS = 5000;

export interface CascadeOptions {
  role: Role;
  env: AppEnv;
  redisUrl: string;
  logger: Logger;
  trackers: TrackerRegistry;
  /** Seeds Redis when it holds no config yet. */
  seedConfig?: CascadeConfig;
  /** Key prefix for queues and stores. Default `{cascade}`. */
  prefix?: string;
  /** Key prefix of the installations (src/installs/installation-store.ts). Default `{cascade:installs}`; tests pass their own. */
  installsPrefix?: string;
  /** How often the workers look for installations added or revoked. Default 2 s. */
  installationPollMs?: number;
  now?: () => Date;
  /** Route plugins to add to the app (admin, digest), given the assembled parts. */
  plugins?: (parts: CascadeParts) => Array<(app: FastifyInstance) => Promise<void>>;
  /** Extra queue processors (digest), given the assembled parts. */
  processors?: (parts: CascadeParts) => Array<{ queue: string; processor: Processor; concurrency?: number }>;
  metrics?: Metrics;
  /**
   * Check deliveries in a thread of their own (src/webhooks/delivery-checker.ts).
   * Default true: a receiver with the machine's cores to itself (`cascade serve`)
   * answers more with it. `cascade all` turns it off: there the worker process
   * already takes the second core, and the thread's hand-offs cost more than
   * they save (bench/ingest-default.ts, 4 interleaved rounds: 13,600-15,300
   * req/s with the thread, 15,600-17,000 without).
   */
  checkOffThread?: boolean;
  /** The trackers of a tenant other than `default` (its installations'); default none. */
  tenantTrackers?: (tenant: string) => TrackerRegistry;
  /** How often worker processes look for new tenants. Default 5 s (cli/tenant-workers.ts). */
  tenantPollMs?: number;
}

export interface CascadeParts {
  redis: RedisClient;
  keys: Keys;
  queues: Queues;
  configStore: ConfigStore;
  verdicts: VerdictStore;
  digests: DigestStore;
  metrics: Metrics;
  context: WorkerContext;
}

export interface RunningCascade extends CascadeParts {
  app?: FastifyInstance;
  /** The `default` tenant's workers (every tenant's are closed by close()). */
  workers?: RunningWorkers;
  /** Every tenant's parts (`default`'s are the ones above). */
  runtimes: TenantRuntimes;
  tenants: TenantStore;
  close(): Promise<void>;
}

export async function startCascade(options: CascadeOptions): Promise<RunningCascade> {
  const { env, logger } = options;
  // Commands fail fast while Redis is away, so webhooks get 503 at once and the sender retries.
  const watch = reportRedisErrors(logger);
  // Only a receiver-only process bounds its shared connections: in one process, workers' long commands use them too.
  const bounded = options.role === 'serve' ? { commandTimeout: RECEIVER_COMMAND_TIMEOUT_MS } : {};
  const redis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true, lazyConnect: true, ...bounded });
  watch('store', redis);
  await redis.connect();
  const metrics = options.metrics ?? createMetrics({ defaults: true });
  // Queues get a connection of their own, fail-fast like the store's: an add while Redis is away throws at once,
  // so a webhook gets 503 (the sender retries) and a worker's job fails and is retried, instead of waiting in memory.
  const queueRedis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true, lazyConnect: true, ...bounded });
  watch('queues', queueRedis);
  // Connected before the queues use it: with no offline queue, a cluster client refuses every command until it has read the slots.
  await queueRedis.connect();
  let inboxRedis: RedisClient | undefined;
  if (options.role !== 'work') {
    // No auto-pipelining here: the inbox already sends one call per batch of deliveries, and
    // writing it at once lets Redis work while the receiver reads the next bodies (bench/ingest.ts: +7%).
    inboxRedis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: WEBHOOK_COMMAND_TIMEOUT_MS, lazyConnect: true });
    watch('webhook inbox', inboxRedis);
    await inboxRedis.connect();
  }
  const now = options.now ?? (() => new Date());
  const tenantStore = new TenantStore(redis, options.prefix, now);
  const directory = new TenantDirectory(tenantStore);

  // Installed as an app: present once CASCADE_SECRET_KEY is set (app credentials require it).
  // A test's prefix ({name-uuid}) keeps its installations apart too ({name-uuid:installs}) unless it names them; the default stays {cascade:installs}.
  const installStore = env.secretKey ? new InstallationStore(redis, installKeys(options.installsPrefix ?? (options.prefix ? options.prefix.replace(/}$/, ':installs}') : undefined))) : undefined;
  const appOf = (t: string): NonNullable<(typeof TRACKERS)[TrackerId]['app']> | undefined => {
    const app = TRACKER_IDS.includes(t as TrackerId) ? TRACKERS[t as TrackerId].app : undefined;
    return app?.configured(env) ? app : undefined;
  };
  let installs: InstallService | undefined;
  let router: WorkspaceDirectory | undefined;
  let appTokens: TokenKeeper | undefined;
  // Each installation is served in its tenant's runtime, with an adapter that reads and writes with its own token.
  let installationsFor: ((tenant: string) => InstallationAdapters | undefined) | undefined;

  // Each tenant's stores, queues and worker context; `default` is the deployment as it ran before tenants.
  const runtimes = tenantRuntimes({
    env, redis, queueConnection: queueRedis, inboxConnection: inboxRedis, prefix: options.prefix, logger, metrics, now, watch,
    // The environment's credentials serve the default tenant; another tenant's trackers are its installations'.
    trackersFor: (tenant) => (tenant === DEFAULT_TENANT ? options.trackers : (options.tenantTrackers?.(tenant) ?? {})),
    installationsFor: (tenant) => installationsFor?.(tenant),
  });
  // rules.scope of the config in force: a Jira app's webhook filter follows it.
  const scopeOf = async (tracker: string, tenant = DEFAULT_TENANT): Promise<string[] | null> => {
    const scope: Record<string, string[] | null> = (await runtimes.of(tenant).configStore.current()).index.rules.scope;
    return scope[tracker] ?? null;
  };
  if (installStore && env.secretKey) {
    const box = secretBox(env.secretKey);
    // An installation's checks wait on its paused queue while it needs a new consent, and go on once it is given.
    const checksOf = (record: { id: string; tracker: string; tenant: string }) =>
      TRACKER_IDS.includes(record.tracker as TrackerId) ? runtimes.of(record.tenant).queues.checksFor({ tracker: record.tracker as TrackerId, installation: record.id }) : undefined;
    const keeper = new TokenKeeper({
      store: installStore,
      box,
      refresh: (t) => {
        const app = appOf(t);
        return app ? (record, tokens) => app.refresh(env, record, tokens) : undefined;
      },
      logger,
      now,
      onNeedsReauth: async (record) => {
        await checksOf(record)?.pause();
      },
    });
    const service = new InstallService({
      env,
      store: installStore,
      box,
      app: appOf,
      scopeOf,
      accessToken: (id) => keeper.accessToken(id),
      tenantExists: (tenant) => tenantStore.exists(tenant),
      onChange: async (record, change) => {
        if (change === 'installed') await checksOf(record)?.resume();
        // Disconnected: what waits on its check queue ends unread (a check running now finds the installation revoked).
        else await checksOf(record)?.drain(true);
      },
      logger,
      now,
    });
    installs = service;
    appTokens = keeper;
    const adapters = new Map<string, InstallationAdapters>();
    installationsFor = (tenant) => {
      let made = adapters.get(tenant);
      if (!made) {
        made = new InstallationAdapters({
          env,
          store: installStore,
          keeper,
          revoke: (id, reason) => service.revoke(id, reason),
          appId: (t) => (t === 'linear' ? env.linearApp?.clientId : t === 'jira' ? env.jiraApp?.clientId : undefined),
          logger,
          tenant,
        });
        adapters.set(tenant, made);
      }
      return made;
    };
    router = new WorkspaceDirectory({ store: installStore, hasDefault: (t) => options.trackers[t] !== undefined });
  }
  const main = runtimes.of(DEFAULT_TENANT);
  const { keys, queues, configStore, verdicts, digests, context } = main;
  if (options.seedConfig && (await configStore.seed(options.seedConfig))) logger.info('stored the config file as version 1');
  const parts: CascadeParts = { redis, keys, queues, configStore, verdicts, digests, metrics, context };
  queues.onQueue = (queue) => watch(`queue ${queue.name}`, queue);
  if (options.role !== 'work') {
    warnAboutPastedLinearToken(env, logger);
    if (installStore && env.secretKey) await installByClientCredentials({ env, store: installStore, box: secretBox(env.secretKey), app: linearApp, logger, now });
  }

  let app: FastifyInstance | undefined;
  if (options.role !== 'work' && main.inbox) {
    const secrets = perTracker((id) => TRACKERS[id].webhook.secrets(env.trackers[id] ?? {}));
    for (const id of TRACKER_IDS) {
      const { secretVariable, path } = TRACKERS[id].webhook;
      if (secrets[id].length === 0) logger.warn(`${secretVariable} is not set: POST ${path} is not served`);
    }
    if (env.adminTokens.length === 0) logger.warn('ADMIN_TOKEN is not set: the admin API and /metrics are not served');
    const inbox = main.inbox;
    app = await buildApp({
      logger,
      inbox,
      inboxFor: (tenant) => runtimes.of(tenant).inbox ?? inbox,
      metrics,
      ping: () => redis.ping(),
      webhooks: { secrets, maxBodyBytes: env.maxBodyBytes, checkOffThread: options.checkOffThread ?? true, router },
      adminTokens: env.adminTokens,
      plugins: [
        async (instance) => {
          await instance.register(digestRoutes, {
            digests, adminTokens: env.adminTokens, digestToken: env.digestToken, timeZone: env.digestTz, now: context.now, requestRefresh: () => requestDigestRefresh(queues.digest),
            tenants: { directory, partsOf: (tenant) => digestPartsOf(runtimes.of(tenant)) },
          });
        },
        adminPlugin({
          tokens: env.adminTokens,
          ...main.admin,
          now: context.now,
          dryRun: env.dryRun,
          timeZone: env.digestTz,
          tenants: { directory, partsOf: (tenant) => runtimes.of(tenant).admin },
          installs,
          publicUrl: env.publicUrl,
        }),
        async (instance) => {
          await instance.register(oauthCallbackRoutes, { installs });
          await instance.register(settingsPageRoutes, { adminApi: env.adminTokens.length > 0, trackers: TRACKER_IDS });
        },
        async (instance) => {
          if (installStore) await instance.register(appWebhookRoutes, { env, inbox, inboxFor: (tenant) => runtimes.of(tenant).inbox ?? inbox, installation: (id) => installStore.get(id), maxBodyBytes: env.maxBodyBytes, deliveries: metrics.deliveries });
        },
        ...(options.plugins?.(parts) ?? []),
      ],
    });
  }
  let workers: RunningWorkers | undefined;
  let tenantWorkers: RunningTenantWorkers | undefined;
  if (options.role !== 'serve') {
    // Every tenant's workers and schedulers (nightly sweep, weekly digest), each on its own queues.
    const startFor = async (tenant: string): Promise<RunningWorkers> => {
      const runtime = runtimes.of(tenant);
      const started = await startWorkers(runtime.context, {
        redisUrl: options.redisUrl,
        prefix: runtime.prefix,
        keys: runtime.keys,
        timeZone: env.digestTz,
        checkConcurrency: env.checkConcurrency,
        checksPerSecond: env.checksPerSecond,
        onRedisError: watch,
        // Another tenant's mover looks at its empty inbox less often: many tenants must not keep Redis busy when quiet.
        ...(tenant === DEFAULT_TENANT ? {} : { inboxIdleMs: TENANT_INBOX_IDLE_MS }),
        extra: [
          { queue: QUEUE_NAMES.digest, processor: (job) => runDigestJob({ sources: runtime.digestSources, queues: runtime.queues, slackWebhookUrl: env.slackWebhookUrl, now: context.now, logger: runtime.context.logger, forecast: runtime.forecastSources }, job) },
          ...(tenant === DEFAULT_TENANT ? (options.processors?.(parts) ?? []) : []),
        ],
        installationPollMs: options.installationPollMs,
        // Jira apps' webhooks belong to the deployment, not a tenant: kept by the default tenant's workers.
        ...(tenant === DEFAULT_TENANT && installStore && appTokens ? { keepAppWebhooks: () => keepAppWebhooks({ env, store: installStore, tokens: appTokens!, scopeOf, logger, now }) } : {}),
      });
      await scheduleDigest(runtime.queues, env.digestCron, env.digestTz);
      return started;
    };
    tenantWorkers = await startTenantWorkers({ store: tenantStore, start: startFor, logger, everyMs: options.tenantPollMs });
    workers = tenantWorkers.of(DEFAULT_TENANT);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Ordered: stop taking webhooks, let workers finish, close queues, quit Redis. Each step runs even if one before failed.
      const step = orderedStop(logger);
      if (app) await step('http', () => closeHttp(app, 3000));
      if (tenantWorkers) await step('workers', () => tenantWorkers.close());
      await step('queues', () => runtimes.close());
      await step('redis', async () => {
        await Promise.allSettled([redis, queueRedis, inboxRedis].map((connection) => connection && quitWithin(connection, 1000)));
      });
    })());
  return { ...parts, app, workers, runtimes, tenants: tenantStore, close };
}

/**
 * Stops taking requests and waits for those in flight, for up to `ms`; then
 * drops the connections left (a client that does not read its answer would
 * otherwise hold the shutdown for ever).
 */
async function closeHttp(app: FastifyInstance, ms: number): Promise<void> {
  const closed = app.close();
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([closed.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)))]);
  clearTimeout(timer);
  if (late) {
    app.server.closeAllConnections();
    await closed;
  }
}

/** QUIT waits for Redis to answer; a stalled or vanished Redis must not hold the shutdown. */
async function quitWithin(connection: RedisClient, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([connection.quit().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  connection.disconnect();
}
