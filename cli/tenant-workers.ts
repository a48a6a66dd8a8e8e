// Workers for every tenant: the `default` tenant's and those of each tenant
// found at start, then those of tenants made later, noticed by reading the
// tenant store's version every few seconds (no restart needed).
import type { Logger } from 'pino';
import type { TenantStore } from '../src/tenants/tenant-store.js';
import { DEFAULT_TENANT } from '../src/tenants/tenant-ids.js';
import type { RunningWorkers } from './start-workers.js';

/** How often a worker process looks for new tenants. */
export const TENANT_POLL_MS = 5000;

export interface TenantWorkersOptions {
  store: TenantStore;
  /** Starts one tenant's workers and schedulers. */
  start(tenant: string): Promise<RunningWorkers>;
  logger: Logger;
  /** Default TENANT_POLL_MS. */
  everyMs?: number;
}

export interface RunningTenantWorkers {
  /** The workers of a tenant, once started. */
  of(tenant: string): RunningWorkers | undefined;
  close(): Promise<void>;
}

export async function startTenantWorkers(options: TenantWorkersOptions): Promise<RunningTenantWorkers> {
  const running = new Map<string, RunningWorkers>();
  let seen: number | undefined;
  let stopped = false;
  const startMissing = async (): Promise<void> => {
    const version = await options.store.version();
    if (version === seen) return;
    for (const tenant of await options.store.list()) {
      if (stopped || running.has(tenant.id)) continue;
      running.set(tenant.id, await options.start(tenant.id));
      options.logger.info({ tenant: tenant.id }, `workers of tenant ${tenant.id} started`);
    }
    seen = version;
  };

  running.set(DEFAULT_TENANT, await options.start(DEFAULT_TENANT));
  await startMissing();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    timer = setTimeout(() => {
      polling = startMissing()
        .catch((err: unknown) => options.logger.warn({ err: (err as Error).message }, 'could not look for new tenants; looking again shortly'))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, options.everyMs ?? TENANT_POLL_MS);
  };
  schedule();

  let closing: Promise<void> | undefined;
  return {
    of: (tenant) => running.get(tenant),
    close: () =>
      (closing ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await polling;
        await Promise.allSettled([...running.values()].map((w) => w.close()));
      })()),
  };
}
