// Installing Cascade as an app, tracker by tracker: the authorize URL with a
// one-use state, the callback's exchange, the listing and the disconnect. What
// each tracker does is its descriptor's `app` (src/trackers/<id>/); this file is
// the same for all of them and is what the routes call.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppEnv } from '../config/environment.js';
import { listedInstallation, type InstallationRecord, type ListedInstallation, type TokenSet } from '../records/installation.js';
import type { TrackerApp } from '../trackers/descriptor.js';
import type { InstallationStore } from './installation-store.js';
import type { SecretBox } from './secret-box.js';

/** How long an authorize URL can be used: the admin consents within it. */
export const STATE_TTL_MS = 15 * 60_000;

export class AppNotConfiguredError extends Error {
  readonly code = 'CASCADE_APP_NOT_CONFIGURED';
  readonly statusCode = 404;
}
export class UnknownStateError extends Error {
  readonly code = 'CASCADE_UNKNOWN_STATE';
  readonly statusCode = 400;
  constructor() {
    super('this install link is unknown, used already or expired: start again from POST /admin/installs/<tracker> or the settings page');
  }
}
export class UnknownTenantError extends Error {
  readonly code = 'CASCADE_UNKNOWN_TENANT';
  readonly statusCode = 404;
}
export class UnknownInstallationError extends Error {
  readonly code = 'CASCADE_UNKNOWN_INSTALLATION';
  readonly statusCode = 404;
  constructor(id: string) {
    super(`there is no installation ${id}: GET /admin/installs lists them`);
  }
}

interface PendingInstall {
  tracker: string;
  tenant: string;
  redirectUri: string;
  /** Where the install was started from (PUBLIC_URL or the request's origin): the app's webhook URL is built on it. */
  baseUrl?: string;
  createdAt: string;
}

export interface InstallServiceOptions {
  env: AppEnv;
  store: InstallationStore;
  box: SecretBox;
  /** The tracker's app, when it has one and its credentials are set. */
  app(tracker: string): TrackerApp | undefined;
  /** The tenant config's rules.scope for a tracker (a Jira app's webhook filter); null or absent: everything. */
  scopeOf?(tracker: string, tenant: string): Promise<string[] | null>;
  /** Whether a tenant exists (`default` always does). */
  tenantExists?(tenant: string): Promise<boolean>;
  /** A current access token for an installation (the token keeper's), so a disconnect never presents an ended one. */
  accessToken?(id: string): Promise<string>;
  /** After a consent is stored (workers start serving it) and after a disconnect. */
  onChange?(record: InstallationRecord, change: 'installed' | 'disconnected'): void | Promise<void>;
  logger: Logger;
  now?: () => Date;
}

export class InstallService {
  private readonly now: () => Date;

  constructor(private readonly options: InstallServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The trackers whose app credentials are set. */
  trackers(all: readonly string[]): string[] {
    return all.filter((t) => this.options.app(t) !== undefined);
  }

  /** An authorize URL for the admin's browser, with a new state good for one use. `baseUrl`: where Cascade is reached (PUBLIC_URL). */
  async begin(tracker: string, tenant: string, baseUrl: string): Promise<{ authorizeUrl: string; state: string; expiresAt: string }> {
    const app = this.appOf(tracker);
    if (tenant !== 'default' && !(await this.options.tenantExists?.(tenant))) throw new UnknownTenantError(`there is no tenant "${tenant}": POST /admin/tenants creates one`);
    const state = randomBytes(24).toString('base64url');
    const redirectUri = `${baseUrl.replace(/\/+$/, '')}/oauth/${tracker}/callback`;
    const pending: PendingInstall = { tracker, tenant, redirectUri, baseUrl, createdAt: this.now().toISOString() };
    await this.options.store.putState(state, pending, STATE_TTL_MS);
    return { authorizeUrl: app.authorizeUrl(this.options.env, { state, redirectUri }), state, expiresAt: new Date(this.now().getTime() + STATE_TTL_MS).toISOString() };
  }

  /** The callback: the state taken (one use), the code exchanged, each workspace stored under the state's tenant. */
  async complete(tracker: string, code: string, state: string): Promise<InstallationRecord[]> {
    const app = this.appOf(tracker);
    const pending = await this.options.store.takeState<PendingInstall>(state);
    if (!pending || pending.tracker !== tracker) throw new UnknownStateError();
    const made = await app.complete(this.options.env, { code, redirectUri: pending.redirectUri });
    const stored: InstallationRecord[] = [];
    for (const installation of made) {
      const at = this.now().toISOString();
      const { id } = await this.options.store.upsert({
        tracker,
        tenant: pending.tenant,
        workspace: installation.workspace,
        status: 'active',
        actorId: installation.actorId,
        sealedTokens: this.options.box.seal(JSON.stringify(installation.tokens)),
        expiresAt: installation.tokens.expiresAt,
        refreshChainEndsAt: chainEnd(installation.tokens),
        // A new consent over an old installation (removed, or waiting for it): its old reason no longer holds, and
        // the teams in reach are the ones this consent granted, all of them until a PermissionChange says otherwise.
        statusReason: undefined,
        teams: undefined,
        installedAt: at,
        updatedAt: at,
      });
      const record = await this.setUp(app, id, installation.tokens, pending);
      if (!record) continue;
      stored.push(record);
      this.options.logger.info({ installation: id, tracker, tenant: pending.tenant }, `installed in ${tracker} workspace ${installation.workspace.name} for tenant ${pending.tenant}`);
      await this.options.onChange?.(record, 'installed');
    }
    return stored;
  }

  /** What the app sets up once the installation has its id (Jira: its webhook); a failure is logged and shown as the installation's statusReason. */
  private async setUp(app: TrackerApp, id: string, tokens: TokenSet, pending: PendingInstall): Promise<InstallationRecord | undefined> {
    const record = await this.options.store.get(id);
    if (!record || !app.afterInstall) return record;
    const baseUrl = pending.baseUrl ?? new URL(pending.redirectUri).origin;
    try {
      const scope = (await this.options.scopeOf?.(pending.tracker, pending.tenant)) ?? null;
      const { webhook } = await app.afterInstall(this.options.env, record, tokens, { baseUrl, scope });
      return await this.options.store.update(id, (r) => ({ ...r, webhook, statusReason: undefined }));
    } catch (err) {
      const reason = `the webhook could not be set up, so no events arrive: ${(err as Error).message}`;
      this.options.logger.error({ installation: id, tracker: record.tracker }, `${record.tracker} workspace ${record.workspace.name}: ${reason}`);
      return await this.options.store.update(id, (r) => ({ ...r, statusReason: reason }));
    }
  }

  async list(tenant?: string): Promise<ListedInstallation[]> {
    const all = await this.options.store.list();
    return all.filter((r) => tenant === undefined || r.tenant === tenant).map(listedInstallation);
  }

  /** Disconnects: the tracker told (revoke, webhooks deleted; best effort), the installation revoked here whatever it answered. */
  async disconnect(id: string, tenant?: string): Promise<ListedInstallation> {
    const record = await this.options.store.get(id);
    if (!record || (tenant !== undefined && record.tenant !== tenant)) throw new UnknownInstallationError(id);
    const app = this.options.app(record.tracker);
    if (app && record.status !== 'revoked') {
      try {
        const tokens = await this.currentTokens(record);
        await app.disconnect(this.options.env, record, tokens);
      } catch (err) {
        this.options.logger.warn({ installation: id, err: (err as Error).message }, `could not tell ${record.tracker} about the disconnect; revoked here anyway (remove the app in the tracker's settings too)`);
      }
    }
    const revoked = await this.revoke(id, 'disconnected by an admin');
    return listedInstallation(revoked ?? record);
  }

  /** The installation's tokens, refreshed first when they are about to end (under the refresh lock, shared with the sites of the same consent). */
  private async currentTokens(record: InstallationRecord): Promise<TokenSet> {
    if (this.options.accessToken && record.status === 'active') {
      try {
        await this.options.accessToken(record.id);
        const fresh = await this.options.store.get(record.id);
        if (fresh) return JSON.parse(this.options.box.open(fresh.sealedTokens)) as TokenSet;
      } catch (err) {
        this.options.logger.warn({ installation: record.id, err: (err as Error).message }, 'could not refresh the token for the disconnect; trying with the stored one');
      }
    }
    return JSON.parse(this.options.box.open(record.sealedTokens)) as TokenSet;
  }

  /** Ends an installation here: no further reads or writes, its webhooks ignored. */
  async revoke(id: string, reason: string): Promise<InstallationRecord | undefined> {
    const revoked = await this.options.store.update(id, (r) => (r.status === 'revoked' ? undefined : { ...r, status: 'revoked', statusReason: reason, sealedTokens: this.options.box.seal('{}'), expiresAt: undefined }));
    if (revoked?.status === 'revoked') {
      this.options.logger.info({ installation: id, tracker: revoked.tracker }, `${revoked.tracker} workspace ${revoked.workspace.name}: ${reason}`);
      await this.options.onChange?.(revoked, 'disconnected');
    }
    return revoked;
  }

  private appOf(tracker: string): TrackerApp {
    const app = this.options.app(tracker);
    if (!app) throw new AppNotConfiguredError(`${tracker} is not set up as an app in this deployment: set its client id and secret (README: "Install as a ${tracker} app")`);
    return app;
  }
}

/** Jira's refresh-token chain ends 365 days after its first token, however often it is refreshed. */
function chainEnd(tokens: TokenSet): string | undefined {
  if (!tokens.chainStartedAt) return undefined;
  return new Date(Date.parse(tokens.chainStartedAt) + 365 * 24 * 3600_000).toISOString();
}
