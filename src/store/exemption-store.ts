// Exemptions people set with `/cascade exempt <reason> [until DATE]` on a
// ticket: one hash field per ticket. The check reads it from here, so the
// exemption reaches the ticket through the same de-duplicated check as
// everything else, and survives restarts.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';

export interface Exemption {
  reason: string;
  /** Who set it (display name), as the tracker's webhook names them. */
  person: string;
  /** YYYY-MM-DD: lapses at the start of that day (UTC); null: until `/cascade unexempt`. */
  until: string | null;
  /** ISO 8601: when it was set. */
  at: string;
}

export class ExemptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(tracker: TrackerId, id: string): Promise<Exemption | null> {
    const raw = await this.redis.hget(this.keys.exemptions, `${tracker}:${id}`);
    return raw ? (JSON.parse(raw) as Exemption) : null;
  }

  /** Those of many tickets in one round trip (a sweep's page). */
  async getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, Exemption>> {
    const out = new Map<string, Exemption>();
    if (ids.length === 0) return out;
    const raws = await this.redis.hmget(this.keys.exemptions, ...ids.map((id) => `${tracker}:${id}`));
    raws.forEach((raw, i) => {
      if (raw) out.set(ids[i]!, JSON.parse(raw) as Exemption);
    });
    return out;
  }

  async put(tracker: TrackerId, id: string, exemption: Exemption): Promise<void> {
    await this.redis.hset(this.keys.exemptions, `${tracker}:${id}`, JSON.stringify(exemption));
  }

  /** True when there was one to remove. */
  async remove(tracker: TrackerId, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.exemptions, `${tracker}:${id}`)) > 0;
  }
}
