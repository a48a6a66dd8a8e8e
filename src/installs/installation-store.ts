// Installations in Redis, under a hash tag of their own: every tenant's
// installations are found from any webhook (by the workspace the body names),
// so they cannot live under one tenant's tag. Tokens are stored sealed only.
// Every change bumps a version, so processes that cache the workspace map
// notice a new, revoked or re-authorised installation within one read.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';
import type { InstallationRecord } from '../records/installation.js';
import { luaScript, runScript } from '../store/lua-script.js';

export const INSTALLS_PREFIX = '{cascade:installs}';

export interface InstallKeys {
  records: string;
  byWorkspace: string;
  version: string;
  state(state: string): string;
  lock(id: string): string;
}

export function installKeys(prefix = INSTALLS_PREFIX): InstallKeys {
  return {
    records: `${prefix}:records`,
    byWorkspace: `${prefix}:by-workspace`,
    version: `${prefix}:version`,
    state: (s) => `${prefix}:oauth-state:${s}`,
    lock: (id) => `${prefix}:refresh-lock:${id}`,
  };
}

// KEYS: records, byWorkspace, version. ARGV: workspace key, new id, record JSON. 0 when the workspace has an installation already.
const CREATE = luaScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[3])
return 1`);

// KEYS: records, version. ARGV: id, expected JSON, new JSON. 1 when stored, 0 when the record changed meanwhile.
const COMPARE_AND_SET = luaScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1`);

// KEYS: records, version, lock. ARGV: id, lock token, new JSON. Writes only while the caller still holds the refresh lock.
const SET_UNDER_LOCK = luaScript(`
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1`);

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

// KEYS: records, byWorkspace, version. ARGV: id, workspace key.
const REMOVE = luaScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
redis.call('INCR', KEYS[3])
return 1`);

/** A fresh installation id: opaque, unguessable, safe in a URL path. */
export function newInstallationId(tracker: string): string {
  return `${tracker.slice(0, 3)}_${randomBytes(12).toString('base64url')}`;
}

const workspaceKey = (tracker: string, workspaceId: string): string => `${tracker}:${workspaceId}`;

export class InstallationStore {
  readonly keys: InstallKeys;

  constructor(
    private readonly redis: RedisClient,
    keys: InstallKeys = installKeys(),
  ) {
    this.keys = keys;
  }

  /**
   * Stores a consent: a new installation, or, for a workspace installed before, its
   * existing one (same id: its webhook URL and its jobs stay) with the new tokens and status.
   */
  async upsert(record: Omit<InstallationRecord, 'id'>): Promise<{ id: string; replaced: boolean }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.byWorkspace(record.tracker, record.workspace.id);
      if (existing) {
        const stored = await this.update(existing.id, (old) => ({ ...old, ...record, id: old.id, installedAt: old.installedAt, webhook: record.webhook ?? old.webhook }));
        if (stored) return { id: stored.id, replaced: true };
        continue;
      }
      const id = newInstallationId(record.tracker);
      const json = JSON.stringify({ ...record, id });
      if ((await runScript(this.redis, CREATE, [this.keys.records, this.keys.byWorkspace, this.keys.version], [workspaceKey(record.tracker, record.workspace.id), id, json])) === 1) return { id, replaced: false };
    }
    throw new Error(`the installation of ${record.tracker} workspace ${record.workspace.id} kept changing; try again`);
  }

  async get(id: string): Promise<InstallationRecord | undefined> {
    const raw = await this.redis.hget(this.keys.records, id);
    return raw ? (JSON.parse(raw) as InstallationRecord) : undefined;
  }

  async getRaw(id: string): Promise<string | null> {
    return this.redis.hget(this.keys.records, id);
  }

  async list(): Promise<InstallationRecord[]> {
    const all = await this.redis.hvals(this.keys.records);
    return all.map((raw) => JSON.parse(raw) as InstallationRecord).sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.id.localeCompare(b.id));
  }

  async byWorkspace(tracker: string, workspaceId: string): Promise<InstallationRecord | undefined> {
    const id = await this.redis.hget(this.keys.byWorkspace, workspaceKey(tracker, workspaceId));
    return id ? this.get(id) : undefined;
  }

  /** Bumped by every change: a cache of installations is current while this is unchanged. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.version)) ?? 0);
  }

  /**
   * Applies `change` to the record as it is now, retrying when another process changed it meanwhile.
   * `change` returns undefined to leave it. Answers the stored record (undefined when there is none).
   */
  async update(id: string, change: (record: InstallationRecord) => InstallationRecord | undefined): Promise<InstallationRecord | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const raw = await this.getRaw(id);
      if (!raw) return undefined;
      const next = change(JSON.parse(raw) as InstallationRecord);
      if (!next) return JSON.parse(raw) as InstallationRecord;
      const stored = { ...next, id, updatedAt: new Date().toISOString() };
      if ((await runScript(this.redis, COMPARE_AND_SET, [this.keys.records, this.keys.version], [id, raw, JSON.stringify(stored)])) === 1) return stored;
    }
    throw new Error(`installation ${id} kept changing; try again`);
  }

  async remove(record: InstallationRecord): Promise<void> {
    await runScript(this.redis, REMOVE, [this.keys.records, this.keys.byWorkspace, this.keys.version], [record.id, workspaceKey(record.tracker, record.workspace.id)]);
  }

  /** One process at a time refreshes an installation's tokens: a token for the lock, or null when another holds it. */
  async lock(id: string, ms: number): Promise<string | null> {
    const token = randomBytes(12).toString('hex');
    return (await this.redis.set(this.keys.lock(id), token, 'PX', ms, 'NX')) === 'OK' ? token : null;
  }

  async unlock(id: string, token: string): Promise<void> {
    await runScript(this.redis, RELEASE, [this.keys.lock(id)], [token]);
  }

  /** Stores the record only while `lockToken` still holds the refresh lock (a refresh that outlived its lock stores nothing). */
  async setUnderLock(record: InstallationRecord, lockToken: string): Promise<boolean> {
    const stored = { ...record, updatedAt: new Date().toISOString() };
    return (await runScript(this.redis, SET_UNDER_LOCK, [this.keys.records, this.keys.version, this.keys.lock(record.id)], [record.id, lockToken, JSON.stringify(stored)])) === 1;
  }

  /** An install in progress: its state, good for one use within `ttlMs`. */
  async putState(state: string, value: object, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.state(state), JSON.stringify(value), 'PX', ttlMs);
  }

  /** The state's value, removed as it is read: a second use finds nothing. */
  async takeState<T>(state: string): Promise<T | undefined> {
    const raw = await this.redis.getdel(this.keys.state(state));
    return raw ? (JSON.parse(raw) as T) : undefined;
  }
}
