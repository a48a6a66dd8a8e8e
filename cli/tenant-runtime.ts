// One tenant's parts: its keys (`{cascade}` for `default`, `{cascade:<tenant>}`
// for the others), its stores, its queues, the context its workers run with,
// and what the admin and digest routes read of it. Every tenant's parts are
// made by this one factory, lazily, and kept for the life of the process.
import type { RedisClient as Redis } from '../src/store/redis-client.js';
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { Metrics } from '../src/metrics.js';
import { createQueues, type Queues } from '../src/queue/queues.js';
import { Inbox } from '../src/queue/inbox.js';
import { startSweeps } from '../src/queue/start-sweeps.js';
import { requestDigestRefresh } from '../src/queue/request-digest-refresh.js';
import { ConfigStore } from '../src/store/config-store.js';
import { keysFor, type Keys } from '../src/store/keys.js';
import { VerdictStore } from '../src/store/verdict-store.js';
import { LearnedSuggestions } from '../src/store/learned-suggestions.js';
import { WrittenStore } from '../src/store/written-store.js';
import { CompletionStore } from '../src/store/completion-store.js';
import { WorkspaceSignalsStore } from '../src/store/workspace-signals-store.js';
import { WriteBudget } from '../src/store/write-budget.js';
import { ExemptionStore } from '../src/store/exemption-store.js';
import { CommandReplyStore } from '../src/store/command-reply-store.js';
import { ProposalStore } from '../src/store/proposal-store.js';
import { DigestStore } from '../src/store/digest-store.js';
import { ForecastStore } from '../src/store/forecast-store.js';
import { sweepProgress } from '../src/store/sweep-progress.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import type { Installations } from '../src/trackers/installations.js';
import type { TenantAdminParts } from '../src/routes/admin/index.js';
import { DEFAULT_TENANT, tenantPrefix } from '../src/tenants/tenant-ids.js';
import type { WorkerContext } from '../workers/worker-context.js';
import type { DigestJobOptions } from '../workers/digest-job.js';
import type { reportRedisErrors } from './redis-errors.js';

export interface TenantRuntime {
  tenant: string;
  /** The tenant's key and queue prefix. */
  prefix: string;
  keys: Keys;
  queues: Queues;
  configStore: ConfigStore;
  verdicts: VerdictStore;
  digests: DigestStore;
  forecasts: ForecastStore;
  proposals: ProposalStore;
  suggestions: LearnedSuggestions;
  /** What the tenant's workers run with. */
  context: WorkerContext;
  /** The receiver's inbox of this tenant (absent in a worker-only process). */
  inbox?: Inbox;
  /** What the admin routes read and change of this tenant. */
  admin: TenantAdminParts;
  /** What the digest job reads (see workers/digest-job.ts). */
  digestSources: DigestJobOptions['sources'];
  forecastSources: NonNullable<DigestJobOptions['forecast']>;
}

export interface TenantRuntimesOptions {
  env: AppEnv;
  /** The stores' connection, and the queues' (fail-fast, see cli/start-cascade.ts). */
  redis: Redis;
  queueConnection: Redis;
  /** The receiver's inbox connection; absent in a worker-only process. */
  inboxConnection?: Redis;
  /** The `default` tenant's prefix; the others' are made from it. Default `{cascade}`. */
  prefix?: string;
  logger: Logger;
  metrics: Metrics;
  now(): Date;
  /** The trackers a tenant's checks read and write. */
  trackersFor(tenant: string): TrackerRegistry;
  /** The tenant's installed workspaces (tracker apps); absent: none. */
  installationsFor?(tenant: string): Installations | undefined;
  /** Given each queue, to report Redis outages once (see cli/redis-errors.ts). */
  watch?: ReturnType<typeof reportRedisErrors>;
}

export interface TenantRuntimes {
  /** The parts of a tenant, made on first use (the caller knows the tenant exists). */
  of(tenant: string): TenantRuntime;
  /** Every tenant's parts made so far. */
  made(): TenantRuntime[];
  /** Closes every tenant's queues. */
  close(): Promise<void>;
}

export function tenantRuntimes(options: TenantRuntimesOptions): TenantRuntimes {
  const base = options.prefix ?? '{cascade}';
  const made = new Map<string, TenantRuntime>();
  const make = (tenant: string): TenantRuntime => {
    const { env, redis } = options;
    const prefix = tenantPrefix(base, tenant);
    const keys = keysFor(prefix);
    // The default tenant logs as before; the others' lines name them.
    const logger = tenant === DEFAULT_TENANT ? options.logger : options.logger.child({ tenant });
    const configStore = new ConfigStore(redis, keys, { timeZone: env.digestTz });
    const queues = createQueues({ connection: options.queueConnection, prefix });
    for (const queue of queues.all()) options.watch?.(tenant === DEFAULT_TENANT ? `queue ${queue.name}` : `queue ${queue.name} of tenant ${tenant}`, queue);
    const verdicts = new VerdictStore(redis, keys);
    const suggestions = new LearnedSuggestions(redis, keys, verdicts);
    const proposals = new ProposalStore(redis, keys);
    const trackers = options.trackersFor(tenant);
    const installations = options.installationsFor?.(tenant);
    const context: WorkerContext = {
      trackers,
      installations,
      config: configStore,
      verdicts,
      exemptions: new ExemptionStore(redis, keys),
      commandReplies: new CommandReplyStore(redis, keys),
      proposals,
      suggestions,
      written: new WrittenStore(redis, keys),
      budget: new WriteBudget(redis, keys),
      completions: new CompletionStore(redis, keys),
      signals: new WorkspaceSignalsStore(redis, keys),
      queues,
      logger,
      metrics: options.metrics,
      now: options.now,
      quietMs: env.quietPeriodMs,
      dryRun: env.dryRun,
      publicUrl: env.publicUrl,
    };
    const digests = new DigestStore(redis, keys);
    const forecasts = new ForecastStore(redis, keys);
    const inbox = options.inboxConnection ? new Inbox(options.inboxConnection, keys) : undefined;
    return {
      tenant,
      prefix,
      keys,
      queues,
      configStore,
      verdicts,
      digests,
      forecasts,
      proposals,
      suggestions,
      context,
      inbox,
      admin: {
        configStore,
        verdicts,
        exemptions: context.exemptions,
        suggestions,
        queues,
        trackers,
        installations,
        startRecheck: (request) => startSweeps(context, redis, keys, request),
        sweepProgress: () => sweepProgress(redis, keys),
        inbox,
        proposals,
        forecasts,
      },
      digestSources: { configStore, verdicts, digests, timeZone: env.digestTz, publicUrl: env.publicUrl, proposals, exemptions: context.exemptions, forecasts },
      forecastSources: { configStore, verdicts, completions: context.completions, signals: context.signals, forecasts, timeZone: env.digestTz },
    };
  };
  return {
    of(tenant) {
      let runtime = made.get(tenant);
      if (!runtime) made.set(tenant, (runtime = make(tenant)));
      return runtime;
    },
    made: () => [...made.values()],
    close: async () => {
      await Promise.allSettled([...made.values()].map((r) => r.queues.close()));
    },
  };
}

/** For requests: the digest page's parts of a tenant. */
export function digestPartsOf(runtime: TenantRuntime): { digests: DigestStore; requestRefresh(): Promise<unknown> } {
  return { digests: runtime.digests, requestRefresh: () => requestDigestRefresh(runtime.queues.digest) };
}
