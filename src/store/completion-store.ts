// Completion records, one per finished ticket, with their done times in a
// sorted set so that reading a window and pruning what aged out are each one
// range. Growth is bounded: every write drops the records done more than
// KEPT_WEEKS before it, so the store holds about 14 weeks of finished work.
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { ticketField } from './ticket-hash.js';
import { KEPT_WEEKS, type CompletionRecord } from '../records/completion-record.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Records read back in one round trip. */
const READ_BATCH = 1000;

export class CompletionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(tracker: TrackerId, id: string): Promise<CompletionRecord | null> {
    const raw = await this.redis.hget(this.keys.completions, ticketField(tracker, id));
    return raw ? (JSON.parse(raw) as CompletionRecord) : null;
  }

  /** Records (or replaces) a ticket's completion, and forgets those done more than KEPT_WEEKS before `now`. */
  async put(record: CompletionRecord, now: Date): Promise<void> {
    await this.putMany([record], now);
  }

  /** A page of records in one round trip (the backfill's). */
  async putMany(records: CompletionRecord[], now: Date): Promise<void> {
    const cutoff = now.getTime() - KEPT_WEEKS * WEEK_MS;
    const kept = records.filter((r) => Date.parse(r.doneAt) >= cutoff);
    if (kept.length > 0) {
      const multi = this.redis.multi();
      for (const r of kept) {
        const field = ticketField(r.tracker, r.id);
        multi.hset(this.keys.completions, field, JSON.stringify(r)).zadd(this.keys.completionsByDone, Date.parse(r.doneAt), field);
      }
      await multi.exec();
    }
    await this.prune(new Date(cutoff));
  }

  /** A reopened ticket is no longer done; true when it had a record. */
  async remove(tracker: TrackerId, id: string): Promise<boolean> {
    const field = ticketField(tracker, id);
    const [removed] = (await this.redis.multi().hdel(this.keys.completions, field).zrem(this.keys.completionsByDone, field).exec()) ?? [];
    return Number(removed?.[1] ?? 0) > 0;
  }

  /** Every record done at or after `from`, oldest first. */
  async since(from: Date): Promise<CompletionRecord[]> {
    const fields = await this.redis.zrangebyscore(this.keys.completionsByDone, from.getTime(), '+inf');
    const out: CompletionRecord[] = [];
    for (let i = 0; i < fields.length; i += READ_BATCH) {
      const raws = await this.redis.hmget(this.keys.completions, ...fields.slice(i, i + READ_BATCH));
      for (const raw of raws) if (raw) out.push(JSON.parse(raw) as CompletionRecord);
    }
    return out;
  }

  /** Drops the records done before `cutoff`; returns how many. */
  async prune(cutoff: Date): Promise<number> {
    const old = await this.redis.zrangebyscore(this.keys.completionsByDone, '-inf', `(${cutoff.getTime()}`);
    if (old.length === 0) return 0;
    await this.redis.multi().hdel(this.keys.completions, ...old).zrem(this.keys.completionsByDone, ...old).exec();
    return old.length;
  }
}
