// One JSON value per ticket in a Redis hash, under the field `tracker:id`: the
// shape every per-ticket store shares (verdicts, what Cascade wrote, removal
// hints, exemptions, command replies).
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';

export const ticketField = (tracker: TrackerId, id: string): string => `${tracker}:${id}`;

export class TicketHash<T> {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
  ) {}

  async get(tracker: TrackerId, id: string): Promise<T | null> {
    const raw = await this.redis.hget(this.key, ticketField(tracker, id));
    return raw ? (JSON.parse(raw) as T) : null;
  }

  /** Those of many tickets in one round trip (a sweep's page), by ticket id. */
  async getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    const raws = await this.redis.hmget(this.key, ...ids.map((id) => ticketField(tracker, id)));
    raws.forEach((raw, i) => {
      if (raw) found.set(ids[i]!, JSON.parse(raw) as T);
    });
    return found;
  }

  async put(tracker: TrackerId, id: string, value: T): Promise<void> {
    await this.redis.hset(this.key, ticketField(tracker, id), JSON.stringify(value));
  }

  /** True when there was one to remove. */
  async remove(tracker: TrackerId, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, ticketField(tracker, id))) > 0;
  }
}
