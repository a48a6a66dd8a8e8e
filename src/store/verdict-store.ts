// The latest verdict of every ticket Cascade has checked, one hash field each.
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { Keys } from './keys.js';
import { TicketHash, ticketField } from './ticket-hash.js';

export class VerdictStore {
  private readonly records: TicketHash<VerdictRecord>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.records = new TicketHash(redis, keys.verdicts);
  }

  get(tracker: TrackerId, id: string): Promise<VerdictRecord | null> {
    return this.records.get(tracker, id);
  }

  /** The records of many tickets of one tracker at once (those without one are left out). */
  getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, VerdictRecord>> {
    return this.records.getMany(tracker, ids);
  }

  put(record: VerdictRecord): Promise<void> {
    return this.records.put(record.tracker, record.id, record);
  }

  /** Forgets the ticket, and with it what Cascade wrote there (see WrittenStore). */
  async remove(tracker: TrackerId, id: string): Promise<void> {
    const field = ticketField(tracker, id);
    await this.redis.multi().hdel(this.keys.verdicts, field).hdel(this.keys.written, field).hdel(this.keys.removals, field).exec();
  }

  /** Every record, streamed in batches (100,000 tickets must not need one huge reply). */
  async *all(batch = 2000): AsyncGenerator<VerdictRecord> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.verdicts, cursor, 'COUNT', batch);
      cursor = next;
      for (let i = 1; i < flat.length; i += 2) yield JSON.parse(flat[i]!) as VerdictRecord;
    } while (cursor !== '0');
  }

  /** Drops closed tickets checked before `cutoff`: the open set stays bounded while finished work ages out. */
  async pruneClosed(cutoff: Date): Promise<number> {
    const stale: string[] = [];
    for await (const r of this.all()) if (r.state === 'closed' && Date.parse(r.checkedAt) < cutoff.getTime()) stale.push(ticketField(r.tracker, r.id));
    if (stale.length) await this.redis.multi().hdel(this.keys.verdicts, ...stale).hdel(this.keys.written, ...stale).hdel(this.keys.removals, ...stale).exec();
    return stale.length;
  }
}
