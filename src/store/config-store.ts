// The config as numbered versions in Redis. Every process asks for the current
// version number (cheap, cached for a moment) and compiles a version once, so
// a change made through the admin API is in force everywhere within a second.
import type { RedisClient } from './redis-client.js';
import type { CascadeConfig } from '../strategy/tree-schema.js';
import { compileStrategy, type StrategyIndex } from '../strategy/strategy-index.js';
import type { Keys } from './keys.js';
import { luaScript, runScript } from './lua-script.js';

/** Versions kept: each can be up to 1 MiB, and a rollback rarely reaches further back. */
export const CONFIG_VERSIONS_KEPT = 100;

// Compare-and-set in one step: the version check, the write, the counter and
// the versions list, and the trim of versions past the kept number. A script
// rather than WATCH/MULTI: WATCH belongs to a connection, and any other
// MULTI/EXEC on a shared connection (digest store, sweeps) drops it.
// KEYS: current, versions, counter. ARGV: expected ('' for none), new
// version, its JSON, the version key prefix, versions kept.
// Answers 1 when stored, or {0, current} when the config changed meanwhile.
const COMPARE_AND_SET = luaScript(`
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return {0, current or ''} end
redis.call('SET', ARGV[4] .. ARGV[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('LPUSH', KEYS[2], ARGV[2])
local kept = tonumber(ARGV[5])
for _, old in ipairs(redis.call('LRANGE', KEYS[2], kept, -1)) do
  redis.call('DEL', ARGV[4] .. old)
end
redis.call('LTRIM', KEYS[2], 0, kept - 1)
return {1, ARGV[2]}`);

export interface StoredVersion {
  version: number;
  config: CascadeConfig;
  /** The admin token's name, or `seed` / `rollback`. */
  author: string;
  createdAt: string;
  /** What changed against the version before, in a few lines. */
  summary: string[];
}

export interface CurrentConfig {
  version: number;
  config: CascadeConfig;
  index: StrategyIndex;
}

export class VersionConflictError extends Error {
  readonly code = 'CASCADE_CONFIG_VERSION_CONFLICT';
  constructor(readonly current: number) {
    super(`the config changed meanwhile (now version ${current})`);
  }
}

export interface ConfigStoreOptions {
  /** How long the current version number is trusted before asking Redis again. Default 500 ms. */
  refreshMs?: number;
  /** IANA zone the tree's dates are read in (DIGEST_TZ), as the digest reads them. Default UTC. */
  timeZone?: string;
}

export class ConfigStore {
  private cached: CurrentConfig | undefined;
  private checkedAt = 0;
  private readonly refreshMs: number;
  private readonly timeZone: string | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    options: ConfigStoreOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 500;
    this.timeZone = options.timeZone;
  }

  async currentVersion(): Promise<number | null> {
    const raw = await this.redis.get(this.keys.configCurrent);
    return raw === null ? null : Number(raw);
  }

  /** The config in force, compiled. Throws when Redis holds no config (start-up seeds it). */
  async current(now = Date.now()): Promise<CurrentConfig> {
    if (this.cached && now - this.checkedAt < this.refreshMs) return this.cached;
    const version = await this.currentVersion();
    if (version === null) throw new Error('no config in Redis: start Cascade with CONFIG_FILE to seed it');
    this.checkedAt = now;
    if (this.cached?.version === version) return this.cached;
    const stored = await this.get(version);
    if (!stored) throw new Error(`config version ${version} is missing from Redis`);
    this.cached = { version, config: stored.config, index: compileStrategy(stored.config, { timeZone: this.timeZone }) };
    return this.cached;
  }

  /** Forget the cached version, so the next read asks Redis: after this process saved one, or when a job needs a newer one (workers/config-at-least.ts). */
  expire(): void {
    this.checkedAt = 0;
  }

  async get(version: number): Promise<StoredVersion | null> {
    const raw = await this.redis.get(this.keys.configVersion(version));
    return raw ? (JSON.parse(raw) as StoredVersion) : null;
  }

  /** Newest first. */
  async list(limit = 100): Promise<Omit<StoredVersion, 'config'>[]> {
    const versions = await this.redis.lrange(this.keys.configVersions, 0, limit - 1);
    const rows = await Promise.all(versions.map((v) => this.get(Number(v))));
    return rows.filter((r): r is StoredVersion => r !== null).map(({ config: _config, ...meta }) => meta);
  }

  /** Stores the first version unless one exists. Returns whether it did. */
  async seed(config: CascadeConfig): Promise<boolean> {
    if ((await this.currentVersion()) !== null) return false;
    try {
      await this.put(config, { author: 'seed', summary: ['first version, from CONFIG_FILE'], expected: null });
      return true;
    } catch (err) {
      if (err instanceof VersionConflictError) return false; // another process seeded it first
      throw err;
    }
  }

  /**
   * Stores a new version if the current one is still `expected` (null: none
   * yet), atomically: two admins saving at once cannot both win. Keeps the
   * last CONFIG_VERSIONS_KEPT versions.
   */
  async put(config: CascadeConfig, meta: { author: string; summary: string[]; expected: number | null }): Promise<StoredVersion> {
    const version = (meta.expected ?? 0) + 1;
    const stored: StoredVersion = { version, config, author: meta.author, createdAt: new Date().toISOString(), summary: meta.summary };
    const prefix = this.keys.configVersion(0).slice(0, -1);
    const [ok, current] = (await runScript(
      this.redis,
      COMPARE_AND_SET,
      [this.keys.configCurrent, this.keys.configVersions, this.keys.configCounter],
      [meta.expected === null ? '' : String(meta.expected), String(version), JSON.stringify(stored), prefix, CONFIG_VERSIONS_KEPT],
    )) as [number, string];
    if (ok !== 1) throw new VersionConflictError(Number(current || 0));
    this.expire();
    return stored;
  }
}
