// Mark and sweep for the verdict records. Each page of a full nightly sweep
// marks the tickets it listed; when the sweep's last page is done, a record of
// an open ticket the sweep did not list (deleted, moved out of scope, or out of
// scope since a config change) is forgotten, so the store holds what exists.
// A ticket that may still carry Cascade's label is never written from here: it
// gets the normal per-ticket check, which reads it fresh and decides (a ticket
// out of scope is exempt: the check clears Cascade's label; a deleted one is
// forgotten). The next night's sweep then forgets its record.
//
// Also bounds the sweep index (the sorted set behind GET /admin/queues).
import type { Redis } from 'ioredis';
import type { CheckJob, SweepJob } from '../src/queue/job-types.js';
import type { Keys } from '../src/store/keys.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { scheduleChecks } from '../src/queue/enqueue.js';
import { luaScript, runScript } from '../src/store/lua-script.js';
import type { WorkerContext } from './worker-context.js';

/** Sweeps listed in the index (newest kept). */
export const SWEEP_INDEX_KEPT = 200;
/** And none older than their progress records, which expire after a week. */
export const SWEEP_INDEX_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** The marks of a sweep outlive any sweep's run. */
const SEEN_TTL_S = 2 * 24 * 3600;
/** Verdicts whose ticket may show Cascade's label or comment: only a check may clear them. */
const MARKED = new Set<VerdictRecord['verdict']>(['orphan', 'stale']);

// Forget a record only if it is still the one read: a check that ran meanwhile wins.
// KEYS: verdicts hash. ARGV: field, record, field, record…
const FORGET_UNCHANGED = luaScript(`
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    n = n + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return n`);

export interface PruneOutcome {
  forgotten: number;
  checked: number;
}

type PruneContext = Pick<WorkerContext, 'queues' | 'logger'>;

const seenKey = (keys: Keys, sweepId: string): string => keys.sweepProgress(`${sweepId}:seen`);
/** Only a nightly sweep over the config's whole scope sees everything that should be kept. */
const isFull = (job: SweepJob): boolean => job.reason === 'nightly' && job.teams.length === 0;

/**
 * Called once per sweep page with the ids the page listed. Marks them; after
 * the last page, trims the sweep index and, for a full nightly sweep, forgets
 * what was not seen.
 */
export async function notePageSeen(ctx: PruneContext, redis: Redis, keys: Keys, job: SweepJob, ticketIds: string[], last: boolean): Promise<PruneOutcome | null> {
  const seen = seenKey(keys, job.sweepId);
  if (isFull(job) && ticketIds.length > 0) await redis.multi().sadd(seen, ...ticketIds).expire(seen, SEEN_TTL_S).exec();
  if (!last) return null;
  await trimSweepIndex(redis, keys, Date.now());
  if (!isFull(job)) return null;
  try {
    const startedAt = Date.parse((await redis.hget(keys.sweepProgress(job.sweepId), 'startedAt')) ?? '');
    // Without its start time the sweep cannot tell an old record from one written while it ran.
    if (Number.isNaN(startedAt)) return null;
    const outcome = await pruneUnseen(ctx, redis, keys, job, seen, startedAt);
    if (outcome.forgotten + outcome.checked > 0) {
      ctx.logger.info({ tracker: job.tracker, sweepId: job.sweepId, ...outcome }, `nightly sweep: forgot ${outcome.forgotten} ${job.tracker} tickets it no longer sees; ${outcome.checked} that may carry Cascade's label get a check`);
    }
    return outcome;
  } finally {
    await redis.del(seen);
  }
}

/** Keeps the newest SWEEP_INDEX_KEPT sweeps of the last week in the index. */
export async function trimSweepIndex(redis: Redis, keys: Keys, now: number): Promise<void> {
  const index = keys.sweepProgress('index');
  await redis
    .multi()
    .zremrangebyscore(index, '-inf', `(${now - SWEEP_INDEX_MAX_AGE_MS}`)
    .zremrangebyrank(index, 0, -(SWEEP_INDEX_KEPT + 1))
    .exec();
}

async function pruneUnseen(ctx: PruneContext, redis: Redis, keys: Keys, job: SweepJob, seen: string, startedAt: number): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { forgotten: 0, checked: 0 };
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(keys.verdicts, cursor, 'MATCH', `${job.tracker}:*`, 'COUNT', 1000);
    cursor = next;
    const candidates: Array<{ field: string; raw: string; record: VerdictRecord }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = parse(flat[i + 1]!);
      // Closed work stays for the digest (pruneClosed ages it out); a record written since the sweep began is current.
      if (!record || record.tracker !== job.tracker || record.state !== 'open' || !(Date.parse(record.checkedAt) < startedAt)) continue;
      candidates.push({ field: flat[i]!, raw: flat[i + 1]!, record });
    }
    if (candidates.length === 0) continue;
    const marks = await redis.smismember(seen, ...candidates.map((c) => c.record.id));
    const unseen = candidates.filter((_, i) => marks[i] === 0);
    const toCheck: CheckJob[] = unseen.filter((c) => MARKED.has(c.record.verdict)).map((c) => ({ tracker: job.tracker, ticketId: c.record.id, reason: 'sweep' }));
    const toForget = unseen.filter((c) => !MARKED.has(c.record.verdict)).flatMap((c) => [c.field, c.raw]);
    if (toCheck.length > 0) await scheduleChecks(ctx.queues.checks[job.tracker], toCheck, 0);
    if (toForget.length > 0) outcome.forgotten += Number(await runScript(redis, FORGET_UNCHANGED, [keys.verdicts], toForget));
    outcome.checked += toCheck.length;
  } while (cursor !== '0');
  return outcome;
}

function parse(raw: string): VerdictRecord | null {
  try {
    return JSON.parse(raw) as VerdictRecord;
  } catch {
    return null;
  }
}
