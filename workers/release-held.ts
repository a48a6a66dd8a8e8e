// Tickets waiting for write budget, looked at again under the rules now in
// force: after a config change (the budget raised or removed, dry_run turned
// off), when a worker starts (DRY_RUN may have changed with the restart) and
// with the nightly sweep (a timer lost on a ticket no sweep page shows).
// Those whose turn has come get the ticket's one de-duplicated check at once,
// oldest first; those whose timer is lost, or later than their turn now, get
// a new timer. It writes nothing itself: the check decides and writes.
import type { RedisClient } from '../src/store/redis-client.js';
import type { CheckJob, ReleaseHeldJob } from '../src/queue/job-types.js';
import { scheduleChecks, scheduleTimer } from '../src/queue/enqueue.js';
import type { Keys } from '../src/store/keys.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { configAtLeast } from './config-at-least.js';
import { startSweeps } from '../src/queue/start-sweeps.js';
import { checkQueueName } from '../src/queue/job-types.js';
import { installationOf, installationsOf } from '../src/trackers/installations.js';

/** The items by the key `key` gives each, in their order. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Timers added at once, in one round of requests. */
const TIMER_BATCH = 500;

export async function releaseHeld(ctx: WorkerContext, redis: RedisClient, keys: Keys, job: ReleaseHeldJob): Promise<{ checks: number; timers: number }> {
  const config = await configAtLeast(ctx.config, job.configVersion);
  const rules = config.index.rules;
  const dryRun = ctx.dryRun ?? rules.dryRun;
  const wasDryRun = await redis.getset(keys.dryRunSeen, dryRun ? '1' : '0');
  // In a dry run nothing is written: the line keeps its order until it ends.
  if (dryRun) return { checks: 0, timers: 0 };
  if (job.releaseHeld === 'start' && wasDryRun === '1') {
    // DRY_RUN was on before this start and is off now: what the dry run only recorded gets its check.
    ctx.logger.info('the dry run has ended since the last start: re-checking the open tickets');
    await startSweeps(ctx, redis, keys, { reason: 'config' });
  }
  const now = ctx.now();
  let checks = 0;
  let timers = 0;
  for (const tracker of new Set((await installationsOf(ctx)).map((ref) => ref.tracker))) {
    const turns = await ctx.budget.turns(tracker, rules.writesPerHour, now);
    // Each ticket goes back to the check queue of the installation it was read through (its verdict record says which).
    const records = await ctx.verdicts.getMany(tracker, [...turns.now, ...turns.later.map(([ticketId]) => ticketId)]);
    const refOf = (ticketId: string): { tracker: TrackerId; installation?: string } => ({ tracker, ...installationOf({ installation: records.get(ticketId)?.installation }) });
    const due: CheckJob[] = turns.now.map((ticketId) => ({ ...refOf(ticketId), ticketId, reason: 'budget', configVersion: config.version }));
    for (const jobs of groupBy(due, checkQueueName).values()) await scheduleChecks(ctx.queues.checksFor(jobs[0] as CheckJob), jobs, 0);
    for (let i = 0; i < turns.later.length; i += TIMER_BATCH) {
      await Promise.all(turns.later.slice(i, i + TIMER_BATCH).map(([ticketId, at]) => scheduleTimer(ctx.queues.checksFor(refOf(ticketId)), { ...refOf(ticketId), ticketId, reason: 'budget' }, 'held', at, now)));
    }
    checks += due.length;
    timers += turns.later.length;
    if (due.length + turns.later.length > 0) {
      ctx.logger.info({ tracker, checks: due.length, timers: turns.later.length, writesPerHour: rules.writesPerHour }, `${tracker}: ${due.length} tickets waiting for write budget are due now, ${turns.later.length} re-timed`);
    }
  }
  return { checks, timers };
}

