// What Cascade last wrote on each ticket: its label, its comment and the
// substance that comment says. Comparing it with a fresh read of the ticket is
// how a check tells a person's removal from Cascade's own write, and how an
// unchanged comment stays unedited. Kept in Redis (it must survive restarts),
// forgotten with the ticket's verdict.
import type { Redis } from 'ioredis';
import type { TrackerId, Verdict } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { TicketHash } from './ticket-hash.js';

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

/** What Cascade wrote, by ticket (the shared per-ticket hash), and the removal hints beside it. */
export class WrittenStore extends TicketHash<WrittenRecord> {
  private readonly removals: TicketHash<RemovalHint>;

  constructor(redis: Redis, keys: Keys) {
    super(redis, keys.written);
    this.removals = new TicketHash(redis, keys.removals);
  }

  noteRemoval(tracker: TrackerId, id: string, hint: RemovalHint): Promise<void> {
    return this.removals.put(tracker, id, hint);
  }

  removal(tracker: TrackerId, id: string): Promise<RemovalHint | null> {
    return this.removals.get(tracker, id);
  }

  async dropRemoval(tracker: TrackerId, id: string): Promise<void> {
    await this.removals.remove(tracker, id);
  }
}
