// Bottom-up proposals for new objectives, made by people with `/cascade propose <title>`
// on a ticket. One hash field per ticket and title, so a repeated command is one proposal.
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import type { Proposal } from '../records/proposal.js';

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
