// What the admin routes need, passed in by the runtime (never imported singletons).
import type { TrackerId } from '../../strategy/types.js';
import type { ForecastStore } from '../../store/forecast-store.js';
import type { SweepProgress } from '../../store/sweep-progress.js';
import type { NamedToken } from '../../config/environment.js';
import type { ConfigStore } from '../../store/config-store.js';
import type { VerdictStore } from '../../store/verdict-store.js';
import type { ExemptionStore } from '../../store/exemption-store.js';
import type { LearnedSuggestions } from '../../store/learned-suggestions.js';
import type { Queues } from '../../queue/queues.js';
import type { TrackerRegistry } from '../../trackers/tracker-registry.js';
import type { Installations } from '../../trackers/installations.js';
import { actingTenantOf, type AdminRateLimit } from './admin-auth.js';
import type { FastifyRequest } from 'fastify';
import type { TenantDirectory } from '../../tenants/tenant-directory.js';
import { DEFAULT_TENANT } from '../../tenants/tenant-ids.js';
import type { ProposalStore } from '../../store/proposal-store.js';
import type { InstallRoutesOptions } from './install-routes.js';

export interface RecheckRequest {
  tracker?: TrackerId;
  /** Team or project keys; absent = the config's scope. */
  teams?: string[];
  reason: 'config' | 'admin';
}


/** What the admin routes read and change of one tenant: its stores, queues and trackers. */
export interface TenantAdminParts {
  configStore: ConfigStore;
  verdicts: VerdictStore;
  /** Exemptions people set with `/cascade exempt`: explain shows them, GET/DELETE /admin/exemptions list and end them (absent: those routes are too). */
  exemptions?: ExemptionStore;
  /** The suggestion model learned from linked tickets, for explain; absent: the tree's text alone. */
  suggestions?: LearnedSuggestions;
  queues: Queues;
  /** The default installation's adapters (the environment's credentials). */
  trackers: TrackerRegistry;
  /** The tracker apps' installations of this tenant; absent: a deployment without apps. */
  installations?: Installations;
  /** Starts a re-check of every open ticket in scope (enqueues SweepJobs); returns the sweep ids. Provided by the runtime. */
  startRecheck(request: RecheckRequest): Promise<{ sweepIds: string[] }>;
  /** Progress of sweeps, for GET /admin/queues (provided by the runtime; may return []). */
  sweepProgress(): Promise<SweepProgress[]>;
  /** The receiver's inbox, for its length in GET /admin/queues. */
  inbox?: { length(): Promise<number>; rejectedCount(): Promise<number> };
  /** Bottom-up proposals for GET /admin/review and /admin/proposals; empty lists when absent. */
  proposals?: ProposalStore;
  /** The forecast report the workers keep, read by GET /admin/review; no forecasts when absent. */
  forecasts?: ForecastStore;
}

/** Tenants besides `default`: their tokens, their parts, and POST/GET /admin/tenants. */
export interface AdminTenants {
  directory: TenantDirectory;
  /** The parts of a tenant that exists (the directory said so). */
  partsOf(tenant: string): TenantAdminParts | Promise<TenantAdminParts>;
}

/** The `default` tenant's parts are the options' own (a deployment without tenants passes only those). */
export interface AdminRoutesOptions extends InstallRoutesOptions, TenantAdminParts {
  /** Empty: the plugin registers nothing, so the admin routes are absent (404). */
  tokens: NamedToken[];
  now(): Date;
  /** DRY_RUN from the environment; undefined leaves rules.dry_run in charge (GET /admin/rollout reports it). */
  dryRun?: boolean;
  /** Slow-down for repeated requests from one address. Defaults: 10 a minute without a valid token, 600 with one. */
  rateLimit?: AdminRateLimit;
  /** IANA zone "today" is read in (DIGEST_TZ), as the digest reads it. Default UTC. */
  timeZone?: string;
  /** Several tenants on one deployment; absent: only `default`. */
  tenants?: AdminTenants;
}

/**
 * The options as the tenant a request acts on sees them (see admin-auth.ts):
 * the `default` tenant's are the options themselves, another tenant's have its
 * own parts in place of the default's. Each route reads its stores from here.
 */
export function tenantOptions<O extends object>(options: O & { tenants?: AdminTenants }): (request: FastifyRequest) => Promise<O> {
  return async (request) => {
    const tenant = actingTenantOf(request);
    if (tenant === DEFAULT_TENANT || !options.tenants) return options;
    return { ...options, ...(await options.tenants.partsOf(tenant)) };
  };
}

export type { SweepProgress };
