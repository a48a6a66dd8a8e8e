// The daily keeper of what app installations need kept alive (PRODUCT.md
// "Jira app"): Jira's dynamic webhooks expire after 30 days and then stop
// delivering without a word, so each active installation's webhooks are
// refreshed when they end within 10 days (at least every 20 days) and
// registered again when Jira no longer lists them; the new expiry is stored.
// Jira's refresh-token chain ends 365 days after the consent however often it
// is refreshed: 30 days before, the admin is told (a log line and the
// installation's statusReason in GET /admin/installs) to consent again.
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { InstallationStore } from '../src/installs/installation-store.js';
import { InstallationInactiveError, type TokenKeeper } from '../src/installs/token-keeper.js';
import type { InstallationRecord } from '../src/records/installation.js';
import { TRACKER_IDS, TRACKERS } from '../src/trackers/registry.js';
import type { TrackerApp } from '../src/trackers/descriptor.js';

const DAY_MS = 24 * 3600_000;
/** How long before the refresh-token chain ends the admin is warned. */
export const CHAIN_WARNING_MS = 30 * DAY_MS;

export interface KeepAppWebhooksDeps {
  env: AppEnv;
  store: InstallationStore;
  tokens: TokenKeeper;
  /** The tenant config's rules.scope for a tracker; null: everything. */
  scopeOf(tracker: string, tenant: string): Promise<string[] | null>;
  logger: Logger;
  now: () => Date;
}

export interface KeepOutcome {
  kept: number;
  failed: number;
  warned: number;
}

function appOf(env: AppEnv, tracker: string): TrackerApp | undefined {
  const id = TRACKER_IDS.find((t) => t === tracker);
  const app = id === undefined ? undefined : TRACKERS[id].app;
  return app?.keep && app.configured(env) ? app : undefined;
}

/** The warning to show while the consent's chain ends within 30 days, or undefined. */
export function chainWarning(record: InstallationRecord, now: Date): string | undefined {
  if (!record.refreshChainEndsAt) return undefined;
  const left = Date.parse(record.refreshChainEndsAt) - now.getTime();
  if (left > CHAIN_WARNING_MS) return undefined;
  const days = Math.max(0, Math.floor(left / DAY_MS));
  return `the consent ends on ${record.refreshChainEndsAt.slice(0, 10)} (in ${days} days; ${record.tracker} ends every consent after 365 days): connect it again (POST /admin/installs/${record.tracker} or the settings page) before then`;
}

export async function keepAppWebhooks(deps: KeepAppWebhooksDeps): Promise<KeepOutcome> {
  const outcome: KeepOutcome = { kept: 0, failed: 0, warned: 0 };
  for (const record of await deps.store.list()) {
    const app = appOf(deps.env, record.tracker);
    if (!app?.keep || record.status !== 'active') continue;
    const now = deps.now();
    const log = deps.logger.child({ installation: record.id, tracker: record.tracker });
    const warning = chainWarning(record, now);
    if (warning) {
      outcome.warned++;
      log.warn(`${record.tracker} workspace ${record.workspace.name}: ${warning}`);
    }
    const token = { current: () => deps.tokens.accessToken(record.id), afterUnauthorised: (stale: string) => deps.tokens.accessToken(record.id, stale) };
    try {
      const scope = await deps.scopeOf(record.tracker, record.tenant);
      const { webhook } = await app.keep(deps.env, record, token, { baseUrl: deps.env.publicUrl ?? '', scope, now });
      await deps.store.update(record.id, (r) => (r.status === 'active' ? { ...r, webhook, statusReason: warning } : undefined));
      if (webhook?.ids.join() !== record.webhook?.ids.join()) log.info({ webhooks: webhook?.ids }, `registered the webhook of ${record.tracker} workspace ${record.workspace.name} again: the tracker no longer listed it`);
      outcome.kept++;
    } catch (err) {
      // Revoked or waiting for a new consent meanwhile: its own status says so.
      if (err instanceof InstallationInactiveError) continue;
      outcome.failed++;
      const reason = `the webhook could not be kept alive, so events may stop arriving: ${(err as Error).message}`;
      log.error(`${record.tracker} workspace ${record.workspace.name}: ${reason} (tried again tomorrow)`);
      await deps.store.update(record.id, (r) => (r.status === 'active' ? { ...r, statusReason: [warning, reason].filter(Boolean).join('; ') } : undefined));
    }
  }
  return outcome;
}
