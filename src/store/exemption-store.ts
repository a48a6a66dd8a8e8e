// Exemptions people set with `/cascade exempt <reason> [until DATE]` on a
// ticket: one hash field per ticket. The check reads it from here, so the
// exemption reaches the ticket through the same de-duplicated check as
// everything else, and survives restarts.
import type { Redis } from 'ioredis';
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
  /** Set in a comment only some can see (Jira visibility): Cascade's comment does not quote the reason. */
  restricted?: boolean;
}

/** Nothing beyond the shared per-ticket hash: get, getMany, put, remove (true when there was one). */
export class ExemptionStore extends TicketHash<Exemption> {
  constructor(redis: Redis, keys: Keys) {
    super(redis, keys.exemptions);
  }
}
