// What Cascade last wrote on each ticket: its label, its comment and the
// substance that comment says. Comparing it with a fresh read of the ticket is
// how a check tells a person's removal from Cascade's own write, and how an
// unchanged comment stays unedited. Kept in Redis (it must survive restarts),
// forgotten with the ticket's verdict.
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';
import { REMOVAL_HINT_TTL_MS, type RemovalHint, type WrittenRecord } from '../records/written-record.js';
import type { Keys } from './keys.js';
import { TicketHash } from './ticket-hash.js';

/** What Cascade wrote, by ticket (the shared per-ticket hash), and the removal hints beside it. */
export class WrittenStore extends TicketHash<WrittenRecord> {
  private readonly removals: TicketHash<RemovalHint>;

  constructor(redis: RedisClient, keys: Keys) {
    super(redis, keys.written);
    this.removals = new TicketHash(redis, keys.removals);
  }

  noteRemoval(tracker: TrackerId, id: string, hint: RemovalHint): Promise<void> {
    return this.removals.put(tracker, id, hint);
  }

  /** The hint noted for the ticket; one older than REMOVAL_HINT_TTL_MS at `now` is dropped and not answered. */
  async removal(tracker: TrackerId, id: string, now: Date): Promise<RemovalHint | null> {
    const hint = await this.removals.get(tracker, id);
    if (!hint || now.getTime() - Date.parse(hint.at) <= REMOVAL_HINT_TTL_MS) return hint;
    await this.removals.remove(tracker, id);
    return null;
  }

  async dropRemoval(tracker: TrackerId, id: string): Promise<void> {
    await this.removals.remove(tracker, id);
  }
}
