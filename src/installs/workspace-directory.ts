// Which installation a webhook belongs to, by the workspace its body names
// (Linear's organizationId), for the receiver: an in-memory map of every
// installation, read again only when the store's version moved. The version
// is looked at no more than every 500 ms, and a workspace the map does not know
// makes it read again at most once a second, so a delivery costs no Redis round
// trip in the common case and a flood of unknown workspaces costs one read a second.
import type { InstallationRecord } from '../records/installation.js';
import type { TrackerId } from '../strategy/types.js';
import type { InstallationStore } from './installation-store.js';

/** Where a delivery goes: an installation (absent: the default one) with its tenant, or nowhere. */
export type WorkspaceRoute = { installation?: string; tenant?: string } | { ignored: string };

/** What the receiver asks (src/routes/webhooks.ts). */
export interface WorkspaceRouter {
  route(tracker: TrackerId, workspaceId: string | undefined): WorkspaceRoute | Promise<WorkspaceRoute>;
}

export interface WorkspaceDirectoryOptions {
  store: Pick<InstallationStore, 'version' | 'list'>;
  /** Trackers whose credentials are in the environment: their deliveries from no installed workspace go to the default installation. */
  hasDefault(tracker: TrackerId): boolean;
  /** Default 500 ms. */
  versionEveryMs?: number;
  /** Default 1000 ms. */
  unknownEveryMs?: number;
  now?: () => number;
}

type Entry = Pick<InstallationRecord, 'id' | 'tenant' | 'status'>;

export class WorkspaceDirectory implements WorkspaceRouter {
  private byWorkspace = new Map<string, Entry>();
  private version = -1;
  private versionAt = -Infinity;
  private loadedAt = -Infinity;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: WorkspaceDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  route(tracker: TrackerId, workspaceId: string | undefined): WorkspaceRoute | Promise<WorkspaceRoute> {
    const now = this.now();
    const due = now - this.versionAt >= (this.options.versionEveryMs ?? 500);
    const known = workspaceId === undefined ? undefined : this.byWorkspace.get(key(tracker, workspaceId));
    // An unknown workspace may have been installed a moment ago: read again, at most once a second.
    const unknownDue = workspaceId !== undefined && !known && now - this.loadedAt >= (this.options.unknownEveryMs ?? 1000);
    // A revoked workspace sends nothing until it consents again: look at the version on each of its deliveries, so the first after a new consent is not lost.
    const revoked = known?.status === 'revoked';
    if (!due && !unknownDue && !revoked) return this.answer(tracker, workspaceId);
    return this.refresh().then(() => this.answer(tracker, workspaceId));
  }

  private answer(tracker: TrackerId, workspaceId: string | undefined): WorkspaceRoute {
    const entry = workspaceId === undefined ? undefined : this.byWorkspace.get(key(tracker, workspaceId));
    if (entry?.status === 'revoked') return { ignored: `the ${tracker} workspace's installation is revoked` };
    // Waiting for a new consent: queued, its jobs wait on its paused queue.
    if (entry) return { installation: entry.id, tenant: entry.tenant };
    if (this.options.hasDefault(tracker)) return {};
    return { ignored: workspaceId === undefined ? `no ${tracker} credentials for a delivery that names no workspace` : `${tracker} workspace ${workspaceId} has not installed Cascade` };
  }

  private refresh(): Promise<void> {
    return (this.refreshing ??= (async () => {
      try {
        const version = await this.options.store.version();
        this.versionAt = this.now();
        // Unchanged: nothing was installed or revoked since the map was read.
        if (version === this.version) {
          this.loadedAt = this.versionAt;
          return;
        }
        const all = await this.options.store.list();
        this.byWorkspace = new Map(all.map((r) => [key(r.tracker, r.workspace.id), { id: r.id, tenant: r.tenant, status: r.status }]));
        this.version = version;
        this.loadedAt = this.now();
      } finally {
        this.refreshing = undefined;
      }
    })());
  }
}

const key = (tracker: string, workspaceId: string): string => `${tracker}:${workspaceId}`;
