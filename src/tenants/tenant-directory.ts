// The tenants as a request needs them, in memory: which tenant a token belongs
// to (found by the token's digest, so a known token and an unknown one cost the
// same: one hash and one map look-up), and which tenants exist. Refreshed when
// the tenant store's version moves, read at most once per `checkEveryMs`, so a
// tenant made in another process is known here within that time.
import type { TenantStore } from './tenant-store.js';
import { DEFAULT_TENANT } from './tenant-ids.js';
import { tokenDigest, type TenantTokenKind } from './tenant-tokens.js';

export interface TenantToken {
  tenant: string;
  kind: TenantTokenKind;
}

export interface TenantDirectoryOptions {
  /** How often the store's version is read at most. Default 1 s. */
  checkEveryMs?: number;
}

export class TenantDirectory {
  private readonly checkEveryMs: number;
  private tokens = new Map<string, TenantToken>();
  private tenants = new Set<string>();
  private version: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    readonly store: TenantStore,
    options: TenantDirectoryOptions = {},
  ) {
    this.checkEveryMs = options.checkEveryMs ?? 1000;
  }

  /** Brings the map up to date when the store may have changed; one read at a time. */
  async fresh(): Promise<void> {
    if (Date.now() - this.checkedAt < this.checkEveryMs) return;
    await (this.reading ??= this.read().finally(() => (this.reading = undefined)));
  }

  /** The next fresh() reads the store (after a change made in this process). */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** The tenant and kind of a token, or undefined (as of the last fresh()). */
  tokenOf(token: string): TenantToken | undefined {
    return this.tokens.get(tokenDigest(token));
  }

  /** Whether a tenant exists (as of the last fresh()); `default` always does. */
  has(tenant: string): boolean {
    return tenant === DEFAULT_TENANT || this.tenants.has(tenant);
  }

  private async read(): Promise<void> {
    const version = await this.store.version();
    if (version !== this.version) {
      const records = await this.store.list();
      const tokens = new Map<string, TenantToken>();
      for (const r of records) {
        tokens.set(r.adminTokenDigest, { tenant: r.id, kind: 'admin' });
        tokens.set(r.digestTokenDigest, { tenant: r.id, kind: 'digest' });
      }
      this.tokens = tokens;
      this.tenants = new Set(records.map((r) => r.id));
      this.version = version;
    }
    this.checkedAt = Date.now();
  }
}
