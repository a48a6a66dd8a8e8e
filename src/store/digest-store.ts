// Weekly digests and their small snapshots, kept a year, one hash field per ISO week.
import type { Redis } from 'ioredis';
import type { Digest, WeeklySnapshot } from '../digest/types.js';
import type { Keys } from './keys.js';

/** Weeks kept: a year and a week, so last year's same week is still there. */
export const WEEKS_KEPT = 53;

export class DigestStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

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

  /** ISO week strings sort in time order, so the oldest are the first after sorting. */
  private async prune(): Promise<void> {
    for (const key of [this.keys.digests, this.keys.snapshots]) {
      const weeks = (await this.redis.hkeys(key)).sort();
      const old = weeks.slice(0, Math.max(0, weeks.length - WEEKS_KEPT));
      if (old.length) await this.redis.hdel(key, ...old);
    }
  }
}
