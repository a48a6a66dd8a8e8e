// What Cascade last wrote on each ticket: its label, its comment and the
// substance that comment says. Comparing it with a fresh read of the ticket is
// how a check tells a person's removal from Cascade's own write, and how an
// unchanged comment stays unedited. Kept in Redis (it must survive restarts),
// forgotten with the ticket's verdict.
import type { Redis } from 'ioredis';
import type { TrackerId, Verdict } from '../strategy/types.js';
import type { Keys } from './keys.js';

/** A person removed Cascade's mark: nothing more is written while the verdict stays the same. */
export interface Acknowledgement {
  /** The verdict the person acknowledged. */
  verdict: 'orphan' | 'stale';
  what: 'label' | 'comment';
  /** The account that removed it, when a webhook said so. */
  by: string | null;
  byName: string | null;
  /** ISO 8601. */
  at: string;
}

export interface WrittenRecord {
  /** The verdict Cascade last showed on the ticket. */
  verdict: Verdict;
  /** Cascade's label as it left it on the ticket, or null. */
  label: string | null;
  /** Cascade's comment as it left it, or null. */
  commentId: string | null;
  /** Fingerprint of what the comment says in substance (not of its rendering). */
  substance: string | null;
  /** ISO 8601 time of the last write. */
  at: string;
  acknowledged?: Acknowledgement;
}

/** Who removed a mark, as a webhook reported it; read (and dropped) by the next check. */
export interface RemovalHint {
  what: 'label' | 'comment';
  by: string | null;
  byName: string | null;
  at: string;
}

export class WrittenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(tracker: TrackerId, id: string): Promise<WrittenRecord | null> {
    const raw = await this.redis.hget(this.keys.written, `${tracker}:${id}`);
    return raw ? (JSON.parse(raw) as WrittenRecord) : null;
  }

  /** One round trip for a sweep page. */
  async getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, WrittenRecord>> {
    const found = new Map<string, WrittenRecord>();
    if (ids.length === 0) return found;
    const raws = await this.redis.hmget(this.keys.written, ...ids.map((id) => `${tracker}:${id}`));
    raws.forEach((raw, i) => {
      if (raw) found.set(ids[i]!, JSON.parse(raw) as WrittenRecord);
    });
    return found;
  }

  async put(tracker: TrackerId, id: string, record: WrittenRecord): Promise<void> {
    await this.redis.hset(this.keys.written, `${tracker}:${id}`, JSON.stringify(record));
  }

  async noteRemoval(tracker: TrackerId, id: string, hint: RemovalHint): Promise<void> {
    await this.redis.hset(this.keys.removals, `${tracker}:${id}`, JSON.stringify(hint));
  }

  async removal(tracker: TrackerId, id: string): Promise<RemovalHint | null> {
    const raw = await this.redis.hget(this.keys.removals, `${tracker}:${id}`);
    return raw ? (JSON.parse(raw) as RemovalHint) : null;
  }

  async dropRemoval(tracker: TrackerId, id: string): Promise<void> {
    await this.redis.hdel(this.keys.removals, `${tracker}:${id}`);
  }
}
