// The tenants of a deployment, under a hash tag of their own (`{cascade:tenants}`):
// a token must be found whatever tenant it belongs to, so the list cannot live
// under any one tenant's tag. A record keeps the digests of the tenant's tokens,
// never the tokens. Every change bumps a version, so processes that cache the
// token map or run workers per tenant notice a new tenant within one read.
import type { RedisClient as Redis } from '../store/redis-client.js';
import { luaScript, runScript } from '../store/lua-script.js';
import { newTenantToken, tokenDigest } from './tenant-tokens.js';
import { DEFAULT_TENANT, isTenantId, RESERVED_TENANT_IDS, tenantPrefix } from './tenant-ids.js';

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: string;
  /** SHA-256 (hex) of the tenant's admin token and of its digest token. */
  adminTokenDigest: string;
  digestTokenDigest: string;
  /** When the tokens were last replaced; absent: never. */
  rotatedAt?: string;
}

/** A tenant as listed: no token digests. */
export interface ListedTenant {
  id: string;
  name: string;
  createdAt: string;
  rotatedAt?: string;
}

/** A tenant just made (or whose tokens were just replaced), with its tokens: shown this once. */
export interface TenantWithTokens {
  tenant: ListedTenant;
  adminToken: string;
  digestToken: string;
}

export class BadTenantIdError extends Error {
  readonly code = 'CASCADE_BAD_TENANT_ID';
  readonly statusCode = 400;
  constructor(id: string) {
    super(RESERVED_TENANT_IDS.includes(id)
      ? `"${id}" is reserved: choose another tenant id`
      : `"${id}" is not a tenant id: 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit`);
  }
}
export class TenantExistsError extends Error {
  readonly code = 'CASCADE_TENANT_EXISTS';
  readonly statusCode = 409;
  constructor(id: string) {
    super(`tenant "${id}" exists already`);
  }
}
export class UnknownTenantError extends Error {
  readonly code = 'CASCADE_UNKNOWN_TENANT';
  readonly statusCode = 404;
  constructor(id: string) {
    super(`there is no tenant "${id}": GET /admin/tenants lists them`);
  }
}

export interface TenantKeys {
  records: string;
  version: string;
}

/** `{cascade}` → `{cascade:tenants}`. */
export function tenantKeys(base = '{cascade}'): TenantKeys {
  const prefix = tenantPrefix(base, 'tenants');
  return { records: `${prefix}:records`, version: `${prefix}:version` };
}

// KEYS: records, version. ARGV: id, record JSON. 0 when the tenant exists.
const CREATE = luaScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('INCR', KEYS[2])
return 1`);

// KEYS: records, version. ARGV: id, expected JSON, new JSON. 1 when stored, 0 when it changed or went meanwhile.
const COMPARE_AND_SET = luaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1`);

export const listedTenant = (record: TenantRecord): ListedTenant => ({
  id: record.id,
  name: record.name,
  createdAt: record.createdAt,
  ...(record.rotatedAt ? { rotatedAt: record.rotatedAt } : {}),
});

export class TenantStore {
  readonly keys: TenantKeys;

  constructor(
    private readonly redis: Redis,
    base?: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = tenantKeys(base);
  }

  /** Makes a tenant with new tokens. Throws BadTenantIdError, TenantExistsError. */
  async create(id: string, name?: string): Promise<TenantWithTokens> {
    if (!isTenantId(id) || RESERVED_TENANT_IDS.includes(id)) throw new BadTenantIdError(id);
    const adminToken = newTenantToken('admin');
    const digestToken = newTenantToken('digest');
    const record: TenantRecord = { id, name: name?.trim() || id, createdAt: this.now().toISOString(), adminTokenDigest: tokenDigest(adminToken), digestTokenDigest: tokenDigest(digestToken) };
    const created = await runScript(this.redis, CREATE, [this.keys.records, this.keys.version], [id, JSON.stringify(record)]);
    if (created !== 1) throw new TenantExistsError(id);
    return { tenant: listedTenant(record), adminToken, digestToken };
  }

  /** Replaces both tokens of a tenant: the old ones stop working. Throws UnknownTenantError. */
  async rotate(id: string): Promise<TenantWithTokens> {
    for (;;) {
      const raw = await this.redis.hget(this.keys.records, id);
      if (raw === null) throw new UnknownTenantError(id);
      const adminToken = newTenantToken('admin');
      const digestToken = newTenantToken('digest');
      const record: TenantRecord = { ...(JSON.parse(raw) as TenantRecord), adminTokenDigest: tokenDigest(adminToken), digestTokenDigest: tokenDigest(digestToken), rotatedAt: this.now().toISOString() };
      const stored = await runScript(this.redis, COMPARE_AND_SET, [this.keys.records, this.keys.version], [id, raw, JSON.stringify(record)]);
      if (stored === 1) return { tenant: listedTenant(record), adminToken, digestToken };
    }
  }

  async get(id: string): Promise<TenantRecord | null> {
    const raw = await this.redis.hget(this.keys.records, id);
    return raw === null ? null : (JSON.parse(raw) as TenantRecord);
  }

  /** Whether the tenant exists; `default` always does. */
  async exists(id: string): Promise<boolean> {
    return id === DEFAULT_TENANT || (isTenantId(id) && (await this.redis.hexists(this.keys.records, id)) === 1);
  }

  /** Every tenant but `default`, by id. */
  async list(): Promise<TenantRecord[]> {
    const all = await this.redis.hvals(this.keys.records);
    return all.map((raw) => JSON.parse(raw) as TenantRecord).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Bumped by every change: a cache of the tenants is fresh while this is unchanged. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.version)) ?? 0);
  }
}
