// Bottom-up proposals for new objectives, made by people with `/cascade propose <title>`
// on a ticket. One hash field per ticket and title, so a repeated command is one proposal.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';

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
  /** ISO 8601. */
  at: string;
}

export class ProposalStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async add(proposal: Proposal): Promise<void> {
    await this.redis.hset(this.keys.proposals, fieldOf(proposal), JSON.stringify(proposal));
  }

  async list(): Promise<Proposal[]> {
    const all = await this.redis.hvals(this.keys.proposals);
    return all.map((raw) => JSON.parse(raw) as Proposal).sort((a, b) => a.at.localeCompare(b.at));
  }
}

const fieldOf = (p: Proposal): string => `${p.tracker}:${p.ticketId}:${p.title.trim().toLowerCase()}`;
