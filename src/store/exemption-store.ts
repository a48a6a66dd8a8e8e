// Exemptions people set with `/cascade exempt <reason> [until DATE]` on a
// ticket: one hash field per ticket. The check reads it from here, so the
// exemption reaches the ticket through the same de-duplicated check as
// everything else, and survives restarts.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { TicketHash } from './ticket-hash.js';

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
  private readonly exemptions: TicketHash<Exemption>;

  constructor(redis: Redis, keys: Keys) {
    this.exemptions = new TicketHash(redis, keys.exemptions);
  }

  get(tracker: TrackerId, id: string): Promise<Exemption | null> {
    return this.exemptions.get(tracker, id);
  }

  /** Those of many tickets in one round trip (a sweep's page). */
  getMany(tracker: TrackerId, ids: string[]): Promise<Map<string, Exemption>> {
    return this.exemptions.getMany(tracker, ids);
  }

  put(tracker: TrackerId, id: string, exemption: Exemption): Promise<void> {
    return this.exemptions.put(tracker, id, exemption);
  }

  /** True when there was one to remove. */
  remove(tracker: TrackerId, id: string): Promise<boolean> {
    return this.exemptions.remove(tracker, id);
  }
}
