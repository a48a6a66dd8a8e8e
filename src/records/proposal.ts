// A bottom-up proposal for a new objective, made by a person with `/cascade propose <title>`:
// the record the digest's review reads and src/store/proposal-store.ts persists.
import type { TrackerId } from '../strategy/types.js';

export interface Proposal {
  /** The objective title as the person wrote it. */
  title: string;
  tracker: TrackerId;
  /** Tracker id of the ticket the command was written on. */
  ticketId: string;
  /** Human key: ENG-123. */
  ticketKey: string;
  ticketUrl?: string;
  team?: string;
  /** Who proposed it (display name), as the tracker's webhook names them. */
  person: string;
  /** Their account id, when the webhook names it: one proposal per account and ticket. */
  personId?: string;
  /** ISO 8601. */
  at: string;
}
