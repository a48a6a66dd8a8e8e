// rules.budget.writes_per_hour, per tracker: Cascade's first mark on a ticket
// (its label or comment where it has neither) spends one unit; every such write
// of the last hour counts, budget or not. A ticket that finds no unit free
// waits in a sorted set in the order it started waiting, and is written when
// its turn comes. Scripts decide, so checks in many processes never spend the
// same unit twice.
//
// A unit is reserved before the write and counts at once (so concurrent checks
// cannot overspend), but it is spent only by a write that happened: a failed or
// rate-limited write gives it back and the ticket keeps its place in line. The
// reservation is the ticket's own, so a retry of the same check (after a crash,
// a 429, a 500) reuses it instead of taking a second one.
//
// Each waiting ticket also has the time its timer is due; a waiting ticket whose
// timer is long past due has lost it (it fired during a dry run, its check
// failed for good, a job was removed) and a sweep re-checks it (issue 18).
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { luaScript, runScript } from './lua-script.js';

export const BUDGET_WINDOW_MS = 3_600_000;

/** A waiting ticket whose timer was due this long ago and has not been checked since has lost its timer. */
export const TIMER_LOST_AFTER_MS = 5 * 60_000;

export type BudgetAnswer = { granted: true } | { granted: false; retryAt: number; position: number };

/** When waiting tickets' turns come under the budget now in force, oldest first. */
export interface HeldTurns {
  /** Within the budget now: check these at once. */
  now: string[];
  /** Not yet, and needing a new timer: [ticket, when its turn comes]. */
  later: Array<[string, number]>;
}

const KEYS_OF = (keys: Keys, tracker: TrackerId): string[] => [keys.budgetWindow(tracker), keys.budgetHeld(tracker), keys.budgetDue(tracker), keys.budgetReserved(tracker)];

// Shared by the scripts: the hour's writes, and when a ticket at `rank` gets its turn.
// KEYS: window, held, due, reserved.
const TURN = `
local function turnAt(now, windowMs, limit, used, rank)
  local needed = rank - (limit - used) + 1
  if used == 0 or limit == 0 then return now + windowMs end
  local cycle = math.floor((needed - 1) / used)
  local at = redis.call('ZRANGE', KEYS[1], (needed - 1) % used, (needed - 1) % used, 'WITHSCORES')
  return tonumber(at[2]) + windowMs * (cycle + 1)
end
`;

// ARGV: now, windowMs, limit (-1: none), ticket
// Answers {1} granted (a reservation, new or the ticket's own from an earlier try), or {0, retryAt, rank}.
const TAKE = luaScript(`${TURN}
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local ticket = ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local mine = redis.call('HGET', KEYS[4], ticket)
if mine then
  if redis.call('ZSCORE', KEYS[1], string.match(mine, '^%S+ (.*)$')) then return {1, 0, 0} end
  redis.call('HDEL', KEYS[4], ticket)
end
local function reserve()
  local member = ticket .. '@' .. ARGV[1]
  local since = redis.call('ZSCORE', KEYS[2], ticket) or now
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('HSET', KEYS[4], ticket, since .. ' ' .. member)
  redis.call('ZREM', KEYS[2], ticket)
  redis.call('ZREM', KEYS[3], ticket)
  return {1, 0, 0}
end
if limit < 0 then return reserve() end
redis.call('ZADD', KEYS[2], 'NX', now, ticket)
local used = redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], ticket)
if rank < limit - used then return reserve() end
local at = turnAt(now, windowMs, limit, used, rank)
redis.call('ZADD', KEYS[3], at, ticket)
return {0, at, rank}
`);

// ARGV: ticket, outcome ('spent': the write happened · 'back': it did not, the ticket still
// needs it · 'none': it needs no first mark now), now
const SETTLE = luaScript(`
local ticket = ARGV[1]
local outcome = ARGV[2]
local mine = redis.call('HGET', KEYS[4], ticket)
redis.call('HDEL', KEYS[4], ticket)
if outcome ~= 'back' then
  redis.call('ZREM', KEYS[2], ticket)
  redis.call('ZREM', KEYS[3], ticket)
end
if not mine then return 0 end
local since, member = string.match(mine, '^(%S+) (.*)$')
if outcome == 'spent' then
  -- A write that happened counts, even if a concurrent try of the same check gave the unit back.
  redis.call('ZADD', KEYS[1], 'NX', tonumber(string.match(member, '@(%d+)$')), member)
  return 1
end
redis.call('ZREM', KEYS[1], member)
if outcome == 'back' then
  -- Back in line where it was; its check's retry (or a sweep, should that fail for good) asks again.
  redis.call('ZADD', KEYS[2], 'NX', tonumber(since), ticket)
  redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ticket)
end
return 1
`);

// ARGV: now, windowMs, limit (-1: none), lostBefore. Answers the waiting tickets oldest first
// whose turn is now, or earlier than their timer (the budget was raised), or whose timer is
// lost, each with its turn (0: now), and records those turns as their timers' due times.
// The others keep the timers they have.
const TURNS = luaScript(`${TURN}
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local lostBefore = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local used = redis.call('ZCARD', KEYS[1])
local waiting = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {}
for rank, ticket in ipairs(waiting) do
  local at = 0
  if limit >= 0 and rank - 1 >= limit - used then at = turnAt(now, windowMs, limit, used, rank - 1) end
  local due = tonumber(redis.call('ZSCORE', KEYS[3], ticket) or '-1')
  if at == 0 or due < 0 or at < due or due < lostBefore then
    redis.call('ZADD', KEYS[3], at == 0 and now or at, ticket)
    out[#out + 1] = ticket
    out[#out + 1] = at
  end
end
return out
`);

export class WriteBudget {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /**
   * Reserves a unit for the ticket's first mark, or queues it; `limit` null = no budget
   * (the write still counts). A ticket already holding an unsettled reservation keeps it.
   * Settle every grant with `settle` once the write happened or did not.
   */
  async take(tracker: TrackerId, ticketId: string, limit: number | null, now: Date): Promise<BudgetAnswer> {
    const reply = (await runScript(this.redis, TAKE, KEYS_OF(this.keys, tracker), [now.getTime(), BUDGET_WINDOW_MS, limit ?? -1, ticketId])) as [number, number?, number?];
    return reply[0] === 1 ? { granted: true } : { granted: false, retryAt: reply[1]!, position: reply[2]! };
  }

  /**
   * What became of the ticket's first mark: `spent` (written: the unit stays spent),
   * `back` (not written and still wanted: the unit is free again, the ticket waits in
   * its old place), `none` (it needs no first mark now: it leaves the line, and an
   * unsettled unit is free again).
   */
  async settle(tracker: TrackerId, ticketId: string, outcome: 'spent' | 'back' | 'none', now: Date): Promise<void> {
    await runScript(this.redis, SETTLE, KEYS_OF(this.keys, tracker), [ticketId, outcome, now.getTime()]);
  }

  /** The ticket no longer waits (it needs no mark now, or is gone); a unit it reserved and did not use is free again. */
  async release(tracker: TrackerId, ticketId: string, now: Date): Promise<void> {
    await this.settle(tracker, ticketId, 'none', now);
  }

  /**
   * The waiting tickets' turns under `limit`, oldest first: those whose turn is now, and
   * those whose timer is lost or later than their turn now (their timers' due times are
   * set to match; the rest keep theirs).
   */
  async turns(tracker: TrackerId, limit: number | null, now: Date): Promise<HeldTurns> {
    const args = [now.getTime(), BUDGET_WINDOW_MS, limit ?? -1, now.getTime() - TIMER_LOST_AFTER_MS];
    const flat = (await runScript(this.redis, TURNS, KEYS_OF(this.keys, tracker), args)) as Array<string | number>;
    const turns: HeldTurns = { now: [], later: [] };
    for (let i = 0; i < flat.length; i += 2) {
      const at = Number(flat[i + 1]);
      if (at === 0) turns.now.push(String(flat[i]));
      else turns.later.push([String(flat[i]), at]);
    }
    return turns;
  }

  /**
   * Which of these tickets are waiting, and which of those have lost their timer
   * (due more than TIMER_LOST_AFTER_MS ago, or never set): a sweep re-checks those.
   */
  async waiting(tracker: TrackerId, ids: string[], now: Date): Promise<{ held: Set<string>; timerLost: Set<string> }> {
    if (ids.length === 0) return { held: new Set(), timerLost: new Set() };
    const [held, due] = await Promise.all([this.redis.zmscore(this.keys.budgetHeld(tracker), ...ids), this.redis.zmscore(this.keys.budgetDue(tracker), ...ids)]);
    const waiting = ids.filter((_, i) => held[i] !== null);
    const lost = ids.filter((_, i) => held[i] !== null && (due[i] === null || Number(due[i]) < now.getTime() - TIMER_LOST_AFTER_MS));
    return { held: new Set(waiting), timerLost: new Set(lost) };
  }

  /** First marks written (or being written) in the hour before `now`. */
  async spent(tracker: TrackerId, now: Date): Promise<number> {
    return this.redis.zcount(this.keys.budgetWindow(tracker), now.getTime() - BUDGET_WINDOW_MS + 1, '+inf');
  }
}
