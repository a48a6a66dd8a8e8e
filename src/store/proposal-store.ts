// Bottom-up proposals for new objectives, made by people with `/cascade propose <title>`
// on a ticket. One proposal per person and ticket: an edited or repeated command
// replaces that person's proposal on the ticket. At most MAX_PROPOSALS are kept;
// past that, the proposals whose last `/cascade propose` is oldest are dropped
// (PRODUCT.md, "Bounded proposals"). Grouping them is a worker's job
// (workers/group-proposals-job.ts), stored here for the routes and the digest.
import type { RedisClient } from './redis-client.js';
import type { ProposalGroup } from '../digest/group-proposals.js';
import type { Keys } from './keys.js';
import type { Proposal } from '../records/proposal.js';
import { luaScript, runScript } from './lua-script.js';

/** Proposals kept; past this, the oldest are dropped. */
export const MAX_PROPOSALS = 10_000;
/** Largest groups kept for /admin/review and the digest (all of them: GET /admin/proposals). */
export const TOP_GROUPS = 20;
/** Titles, tickets and people listed per group in that top (the group's count covers all). */
export const TOP_GROUP_LISTED = 10;

/** The grouping the worker stored. */
export interface StoredGrouping {
  /** The proposals' version it was computed from. */
  version: number;
  computedAt: string;
  /** Proposals grouped. */
  total: number;
  /** Groups in all. */
  groupCount: number;
  /** The TOP_GROUPS largest groups, each listing its first TOP_GROUP_LISTED titles and latest tickets and people. */
  top: ProposalGroup[];
}

// KEYS: hash, by-time, version. ARGV: field, proposal JSON, time (ms), cap.
// Replaces the person's proposal on the ticket, drops the oldest past the cap, returns how many were dropped.
const PUT = luaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do redis.call('HDEL', KEYS[1], oldest[i]) end
else
  over = 0
end
redis.call('INCR', KEYS[3])
return over`);

export class ProposalStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly max = MAX_PROPOSALS,
  ) {}

  /** Records (or replaces) the person's proposal on the ticket; answers how many old proposals went past the cap. */
  async add(proposal: Proposal): Promise<number> {
    const at = Date.parse(proposal.at);
    const dropped = await runScript(this.redis, PUT, [this.keys.proposals, this.keys.proposalsByTime, this.keys.proposalsVersion], [fieldOf(proposal), JSON.stringify(proposal), Number.isFinite(at) ? at : 0, this.max]);
    return Number(dropped);
  }

  async list(): Promise<Proposal[]> {
    await this.migrateLegacy();
    const all = await this.redis.hvals(this.keys.proposals);
    return all.map((raw) => JSON.parse(raw) as Proposal).sort((a, b) => a.at.localeCompare(b.at));
  }

  count(): Promise<number> {
    return this.redis.hlen(this.keys.proposals);
  }

  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.proposalsVersion)) ?? 0);
  }

  /** Stores a grouping: the top for the review and the digest, and the whole answer of GET /admin/proposals, as its text. */
  async saveGrouping(grouping: StoredGrouping, groups: ProposalGroup[]): Promise<void> {
    const full = JSON.stringify({ version: grouping.version, computedAt: grouping.computedAt, total: grouping.total, groups });
    await this.redis.hset(this.keys.proposalGroups, { top: JSON.stringify(grouping), full });
  }

  /** The stored grouping's top, or null before the first grouping. */
  async grouping(): Promise<StoredGrouping | null> {
    const raw = await this.redis.hget(this.keys.proposalGroups, 'top');
    return raw ? (JSON.parse(raw) as StoredGrouping) : null;
  }

  /** Every stored group, as JSON text `{ version, computedAt, total, groups }` (kept as text: it can run to megabytes). */
  fullGrouping(): Promise<string | null> {
    return this.redis.hget(this.keys.proposalGroups, 'full');
  }

  /**
   * Proposals stored before the cap (one per ticket and title, not indexed by
   * time) are filed again as one per person and ticket, the latest winning.
   * Cheap when there are none: two counts.
   */
  private async migrateLegacy(): Promise<void> {
    const [fields, indexed] = await Promise.all([this.redis.hlen(this.keys.proposals), this.redis.zcard(this.keys.proposalsByTime)]);
    if (fields <= indexed) return;
    const all = await this.redis.hgetall(this.keys.proposals);
    const legacy: Array<[string, Proposal]> = [];
    for (const [field, raw] of Object.entries(all)) {
      if ((await this.redis.zscore(this.keys.proposalsByTime, field)) === null) legacy.push([field, JSON.parse(raw) as Proposal]);
    }
    legacy.sort((a, b) => a[1].at.localeCompare(b[1].at));
    for (const [field, proposal] of legacy) {
      await this.redis.hdel(this.keys.proposals, field);
      await this.add(proposal);
    }
  }
}

/** One field per person and ticket. */
const fieldOf = (p: Proposal): string => `${p.tracker}:${p.ticketId}:${p.personId ? `id:${p.personId}` : `name:${p.person.trim().toLowerCase()}`}`;
