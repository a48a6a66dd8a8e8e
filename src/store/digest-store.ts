// Weekly digests and their small snapshots, kept a year, one hash field per ISO
// week, written only by the scheduled job; and apart from them the digest of the
// week in progress ("current"), recomputed for page views and never archived.
import type { RedisClient } from './redis-client.js';
import type { Digest, WeeklySnapshot } from '../digest/types.js';
import type { Keys } from './keys.js';

/** Weeks kept: a year and a week, so last year's same week is still there. */
export const WEEKS_KEPT = 53;

/** The stored current digest: its JSON text as stored (served as is) and when it was computed. */
export interface StoredCurrentDigest {
  isoWeek: string;
  /** ISO 8601 instant the digest was computed. */
  computedAt: string;
  json: string;
}

export class DigestStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Archives a finished week: its digest and its trend snapshot. Only the scheduled job calls this. */
  async save(digest: Digest, snapshot: WeeklySnapshot): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.digests, digest.isoWeek, JSON.stringify(digest))
      .hset(this.keys.snapshots, snapshot.isoWeek, JSON.stringify(snapshot))
      .exec();
    await this.prune();
  }

  async week(isoWeek: string): Promise<Digest | null> {
    const raw = await this.redis.hget(this.keys.digests, isoWeek);
    return raw ? (JSON.parse(raw) as Digest) : null;
  }

  async snapshots(): Promise<WeeklySnapshot[]> {
    const all = await this.redis.hvals(this.keys.snapshots);
    return all.map((raw) => JSON.parse(raw) as WeeklySnapshot);
  }

  /** Replaces the digest of the week in progress; the archive and the trend are left alone. */
  async saveCurrent(digest: Digest): Promise<void> {
    await this.redis.hset(this.keys.digestCurrent, { isoWeek: digest.isoWeek, computedAt: digest.generatedAt, json: JSON.stringify(digest) });
  }

  /** When the current digest was computed, and for which week; null before the first one. A small read, for every page view. */
  async currentStamp(): Promise<{ isoWeek: string; computedAt: string } | null> {
    const [isoWeek, computedAt] = await this.redis.hmget(this.keys.digestCurrent, 'isoWeek', 'computedAt');
    return isoWeek && computedAt ? { isoWeek, computedAt } : null;
  }

  async current(): Promise<StoredCurrentDigest | null> {
    const [isoWeek, computedAt, json] = await this.redis.hmget(this.keys.digestCurrent, 'isoWeek', 'computedAt', 'json');
    return isoWeek && computedAt && json ? { isoWeek, computedAt, json } : null;
  }

  /** ISO week strings sort in time order, so the oldest are the first after sorting. */
  private async prune(): Promise<void> {
    for (const key of [this.keys.digests, this.keys.snapshots]) {
      const weeks = (await this.redis.hkeys(key)).sort();
      const old = weeks.slice(0, Math.max(0, weeks.length - WEEKS_KEPT));
      if (old.length) await this.redis.hdel(key, ...old);
    }
  }
}
