// Each sweep's progress in Redis (GET /admin/queues, the CLI's progress bar), the
// index of recent sweeps, and the marks of the tickets a nightly sweep's pages
// listed (read by workers/prune-unseen.ts after the last page). Progress records
// live a week; the index keeps the newest SWEEP_INDEX_KEPT sweeps of that week.
import type { RedisClient } from './redis-client.js';
import type { Keys } from './keys.js';

/** Progress records live a week. */
const PROGRESS_TTL_S = 7 * 24 * 3600;
/** Sweeps listed in the index (newest kept). */
export const SWEEP_INDEX_KEPT = 200;
/** And none older than their progress records, which expire after a week. */
export const SWEEP_INDEX_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** The marks of a sweep outlive any sweep's run. */
const SEEN_TTL_S = 2 * 24 * 3600;

/** How far one sweep has got: stored per sweep, shown in GET /admin/queues. */
export interface SweepProgress {
  sweepId: string;
  tracker: string;
  reason: string;
  pages: number;
  tickets: number;
  done: boolean;
  startedAt: string;
}

const seenKey = (keys: Keys, sweepId: string): string => keys.sweepProgress(`${sweepId}:seen`);

/** Records a sweep that starts now and lists it in the index. */
export async function noteSweepStarted(redis: RedisClient, keys: Keys, sweep: { sweepId: string; tracker: string; reason: string }): Promise<void> {
  await redis
    .multi()
    .hset(keys.sweepProgress(sweep.sweepId), { ...sweep, pages: 0, tickets: 0, done: '0', startedAt: new Date().toISOString() })
    .expire(keys.sweepProgress(sweep.sweepId), PROGRESS_TTL_S)
    .zadd(keys.sweepProgress('index'), Date.now(), sweep.sweepId)
    .exec();
}

/** Counts one page of a sweep and its tickets; `done` after its last page. */
export async function noteSweepPage(redis: RedisClient, keys: Keys, sweepId: string, tickets: number, done: boolean): Promise<void> {
  const key = keys.sweepProgress(sweepId);
  await redis
    .multi()
    .hincrby(key, 'pages', 1)
    .hincrby(key, 'tickets', tickets)
    .hset(key, 'done', done ? '1' : '0')
    .expire(key, PROGRESS_TTL_S)
    .exec();
}

/** The most recent sweeps, newest first. */
export async function sweepProgress(redis: RedisClient, keys: Keys, limit = 20): Promise<SweepProgress[]> {
  const ids = await redis.zrevrange(keys.sweepProgress('index'), 0, limit - 1);
  const rows = await Promise.all(ids.map((id) => redis.hgetall(keys.sweepProgress(id))));
  return rows
    .filter((r) => r.sweepId)
    .map((r) => ({
      sweepId: r.sweepId!,
      tracker: r.tracker ?? '',
      reason: r.reason ?? '',
      pages: Number(r.pages ?? 0),
      tickets: Number(r.tickets ?? 0),
      done: r.done === '1',
      startedAt: r.startedAt ?? '',
    }));
}

/** When the sweep started (ms), or NaN when its progress record is gone. */
export async function sweepStartedAt(redis: RedisClient, keys: Keys, sweepId: string): Promise<number> {
  return Date.parse((await redis.hget(keys.sweepProgress(sweepId), 'startedAt')) ?? '');
}

/** Keeps the newest SWEEP_INDEX_KEPT sweeps of the last week in the index. */
export async function trimSweepIndex(redis: RedisClient, keys: Keys, now: number): Promise<void> {
  const index = keys.sweepProgress('index');
  await redis
    .multi()
    .zremrangebyscore(index, '-inf', `(${now - SWEEP_INDEX_MAX_AGE_MS}`)
    .zremrangebyrank(index, 0, -(SWEEP_INDEX_KEPT + 1))
    .exec();
}

/** Marks the tickets a page of the sweep listed. */
export async function markSeen(redis: RedisClient, keys: Keys, sweepId: string, ticketIds: string[]): Promise<void> {
  const seen = seenKey(keys, sweepId);
  await redis.multi().sadd(seen, ...ticketIds).expire(seen, SEEN_TTL_S).exec();
}

/** Per id, whether a page of the sweep listed it. */
export async function wereSeen(redis: RedisClient, keys: Keys, sweepId: string, ticketIds: string[]): Promise<boolean[]> {
  const marks = await redis.smismember(seenKey(keys, sweepId), ...ticketIds);
  return marks.map((m) => m === 1);
}

export async function dropSeen(redis: RedisClient, keys: Keys, sweepId: string): Promise<void> {
  await redis.del(seenKey(keys, sweepId));
}
