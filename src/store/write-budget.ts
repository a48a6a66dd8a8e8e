// rules.budget.writes_per_hour, per tracker: Cascade's first mark on a ticket
// (its label or comment where it has neither) spends one unit; every such write
// of the last hour counts, budget or not. A ticket that finds no unit free
// waits in a sorted set in the order it started waiting, and is written when
// its turn comes. One Lua script decides, so checks in many processes never
// spend the same unit twice.
import type { Redis } from 'ioredis';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';

export const BUDGET_WINDOW_MS = 3_600_000;

export type BudgetAnswer = { granted: true } | { granted: false; retryAt: number; position: number };

// KEYS: window, held · ARGV: now, windowMs, limit (-1: none), ticket
const TAKE = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local ticket = ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local function spend()
  redis.call('ZADD', KEYS[1], now, ticket .. '@' .. now)
  redis.call('ZREM', KEYS[2], ticket)
  return {1, 0, 0}
end
if limit < 0 then return spend() end
redis.call('ZADD', KEYS[2], 'NX', now, ticket)
local used = redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], ticket)
if rank < limit - used then return spend() end
-- Its turn comes when enough of the hour's writes have aged out of the window.
local needed = rank - (limit - used) + 1
if used == 0 or limit == 0 then return {0, now + windowMs, rank} end
local cycle = math.floor((needed - 1) / used)
local at = redis.call('ZRANGE', KEYS[1], (needed - 1) % used, (needed - 1) % used, 'WITHSCORES')
return {0, tonumber(at[2]) + windowMs * (cycle + 1), rank}
`;

export class WriteBudget {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Spends a unit for the ticket's first mark, or queues it; `limit` null = no budget (the write still counts). */
  async take(tracker: TrackerId, ticketId: string, limit: number | null, now: Date): Promise<BudgetAnswer> {
    const reply = (await this.redis.eval(TAKE, 2, this.keys.budgetWindow(tracker), this.keys.budgetHeld(tracker), now.getTime(), BUDGET_WINDOW_MS, limit ?? -1, ticketId)) as [number, number, number];
    return reply[0] === 1 ? { granted: true } : { granted: false, retryAt: reply[1], position: reply[2] };
  }

  /** The ticket no longer waits (it needs no mark now, or is gone). */
  async release(tracker: TrackerId, ticketId: string): Promise<void> {
    await this.redis.zrem(this.keys.budgetHeld(tracker), ticketId);
  }

  async heldCount(tracker: TrackerId): Promise<number> {
    return this.redis.zcard(this.keys.budgetHeld(tracker));
  }

  /** Which of these tickets are waiting (a sweep leaves them to their own re-check). */
  async held(tracker: TrackerId, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.keys.budgetHeld(tracker), ...ids);
    return new Set(ids.filter((_, i) => scores[i] !== null));
  }

  /** First marks written in the hour before `now`. */
  async spent(tracker: TrackerId, now: Date): Promise<number> {
    return this.redis.zcount(this.keys.budgetWindow(tracker), now.getTime() - BUDGET_WINDOW_MS + 1, '+inf');
  }
}
