// The installations of the tracker apps as the workers and the admin routes
// see them (the Installations of src/trackers/installations.ts): records read
// from the store once per change (its version is the cache key), and one
// adapter per installation, built by its tracker's app with a token source
// over the token keeper, rebuilt when the account Cascade writes as changes.
// A revoked installation, or one waiting for a new consent, has no adapter:
// its jobs end without a read or a write.
import type { Logger } from 'pino';
import type { AppEnv } from '../config/environment.js';
import type { InstallationRecord } from '../records/installation.js';
import type { AccessTokenSource } from '../trackers/descriptor.js';
import type { Installations, InstallationRef, TeamsInReach } from '../trackers/installations.js';
import { TRACKER_IDS, TRACKERS } from '../trackers/registry.js';
import type { Tracker } from '../trackers/tracker.js';
import type { TrackerId } from '../strategy/types.js';
import type { InstallationStore } from './installation-store.js';
import type { TokenKeeper } from './token-keeper.js';

export interface InstallationAdaptersOptions {
  env: AppEnv;
  store: InstallationStore;
  keeper: Pick<TokenKeeper, 'accessToken'>;
  /** The app's client id of a tracker (an app removal names the app it is for). */
  appId?(tracker: TrackerId): string | undefined;
  /** Ends an installation here (InstallService.revoke: it tells who watches installations). */
  revoke(id: string, reason: string): Promise<unknown>;
  logger: Logger;
  /** Only this tenant's installations (a runtime per tenant); absent: every installation of the deployment. */
  tenant?: string;
}

interface Built {
  tracker: Tracker;
  /** What the adapter was built from: another actor (a new consent) builds it again. */
  actorId: string | undefined;
}

export class InstallationAdapters implements Installations {
  private cached: { version: number; records: Map<string, InstallationRecord> } | undefined;
  private loading: Promise<Map<string, InstallationRecord>> | undefined;
  private readonly adapters = new Map<string, Built>();

  constructor(private readonly options: InstallationAdaptersOptions) {}

  async trackerFor(ref: InstallationRef): Promise<Tracker | undefined> {
    const id = ref.installation;
    if (!id) return undefined;
    const record = await this.get(id);
    if (!record || record.tracker !== ref.tracker || record.status !== 'active') {
      this.adapters.delete(id);
      return undefined;
    }
    const built = this.adapters.get(id);
    if (built && built.actorId === record.actorId) return built.tracker;
    const app = TRACKER_IDS.includes(record.tracker as TrackerId) ? TRACKERS[record.tracker as TrackerId].app : undefined;
    if (!app) return undefined;
    const tracker = app.create(this.options.env, record, this.tokenSource(id), this.options.logger.child({ tracker: record.tracker, installation: id }));
    this.adapters.set(id, { tracker, actorId: record.actorId });
    return tracker;
  }

  async get(id: string): Promise<InstallationRecord | undefined> {
    return (await this.records()).get(id);
  }

  async active(tenant?: string): Promise<InstallationRecord[]> {
    return (await this.list()).filter((r) => r.status === 'active' && (tenant === undefined || r.tenant === tenant));
  }

  async list(): Promise<InstallationRecord[]> {
    return [...(await this.records()).values()];
  }

  appId(tracker: TrackerId): string | undefined {
    return this.options.appId?.(tracker);
  }

  version(): Promise<number> {
    return this.options.store.version();
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.options.revoke(id, reason);
    this.adapters.delete(id);
  }

  async setTeams(id: string, change: (teams: TeamsInReach) => TeamsInReach): Promise<void> {
    await this.options.store.update(id, (record) => (record.status === 'revoked' ? undefined : { ...record, teams: change(record.teams) }));
  }

  private tokenSource(id: string): AccessTokenSource {
    const { keeper } = this.options;
    return { current: () => keeper.accessToken(id), afterUnauthorised: (stale) => keeper.accessToken(id, stale) };
  }

  /** Every record, read again only when the store's version moved (one small read per call). */
  private async records(): Promise<Map<string, InstallationRecord>> {
    const version = await this.options.store.version();
    if (this.cached?.version === version) return this.cached.records;
    const { tenant } = this.options;
    this.loading ??= this.options.store.list().then(
      (all) => {
        const records = new Map(all.filter((r) => tenant === undefined || r.tenant === tenant).map((r) => [r.id, r]));
        this.cached = { version, records };
        this.loading = undefined;
        return records;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }
}
