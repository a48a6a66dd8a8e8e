// The BullMQ workers and schedulers of one process. Tracker errors steer the
// queue: a rate limit pauses that tracker's check queue in every process (each
// tracker has its own queue and limiter in Redis, so a Linear 429 never holds
// up Jira checks), a permanent failure ends the retries, anything else
// is retried with exponential backoff and ends in the failed list with its reason.
import { Queue, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { createRedisClient, type RedisClient } from '../src/store/redis-client.js';
import { PermanentTrackerError, RateLimitedError } from '../src/trackers/tracker.js';
import { checkQueueOf, QUEUE_NAMES, type BackfillJob, type CheckJob, type EventJob, type FanoutJob, type ReleaseHeldJob, type SignalsJob, type StartSweepJob, type SweepJob } from '../src/queue/job-types.js';
import type { Keys } from '../src/store/keys.js';
import type { WorkerContext } from '../workers/worker-context.js';
import { checkTicket } from '../workers/check-ticket.js';
import { handleEvent } from '../workers/handle-event.js';
import { fanOut } from '../workers/fan-out.js';
import { sweepPage } from '../workers/sweep.js';
import { startSweeps } from '../src/queue/start-sweeps.js';
import { releaseHeld } from '../workers/release-held.js';
import { backfillPage, startSignals } from '../workers/backfill.js';
import { startBackfills } from '../src/queue/start-sweeps.js';
import { readSignals } from '../workers/read-signals.js';
import { startInvalidations } from '../workers/invalidations.js';
import { Inbox } from '../src/queue/inbox.js';
import { startInboxMover } from '../workers/move-inbox.js';
import { TRACKER_IDS } from '../src/trackers/registry.js';
import { InstallationEndedError, type InstallationRef } from '../src/trackers/installations.js';
import { InstallationInactiveError } from '../src/installs/token-keeper.js';
import { checkQueueName } from '../src/queue/job-types.js';
import type { TrackerId } from '../src/strategy/types.js';

/**
 * How long a job's lock lives without renewal (BullMQ's default is 30 s), and how
 * often it is renewed. `cascade all` runs its workers in Linux's idle scheduling
 * class: when other processes keep every core busy, the workers' event loop may
 * not run for tens of seconds, and a 30 s lock lapsed (bench/locks-under-load.ts:
 * 4 busy processes on 2 cores for 60 s, stalled jobs taken back and run twice).
 * Renewed as often as before, a lock now outlives a freeze of four and a half
 * minutes. The price: the jobs of a worker process that dies are taken back
 * after up to five minutes instead of 30 s (nothing is lost meanwhile).
 */
export const JOB_LOCK_MS = 5 * 60_000;
export const JOB_LOCK_RENEW_MS = 15_000;
/** The inbox mover's lock, for the same reason (a dead mover's lock holds the inbox this long; the receiver keeps accepting). */
export const INBOX_LOCK_MS = 2 * 60_000;

/** Closed tickets are kept this long after their last check. */
const CLOSED_KEPT_MS = 35 * 24 * 3600 * 1000;

export interface WorkerOptions {
  redisUrl: string;
  /** Queue key prefix; must match the queues'. Default `{cascade}`. */
  prefix?: string;
  keys: Keys;
  /** Checks running at once in this process. Default 16. */
  checkConcurrency?: number;
  /** Checks per second per tracker, across all workers (BullMQ's global limiter). Default 40. */
  checksPerSecond?: number;
  /** Nightly sweep cron, in `timeZone`. Default `0 3 * * *`. */
  sweepCron?: string;
  timeZone?: string;
  /** Given every connection and worker, to report Redis outages once (see cli/redis-errors.ts). */
  onRedisError?: (source: string, emitter: { on(event: 'error', listener: (err: Error) => void): unknown; on(event: 'ready', listener: () => void): unknown }) => void;
  /** How often this process looks for installations added or revoked (their check queues' workers start and stop). Default 2 s. */
  installationPollMs?: number;
  /** How long the inbox mover leaves an empty inbox before looking again (see workers/move-inbox.ts). */
  inboxIdleMs?: number;
  /** Extra processors by queue name (the digest worker). */
  extra?: Array<{ queue: string; processor: Processor; concurrency?: number }>;
  /** Keeps app installations' webhooks alive (workers/keep-app-webhooks.ts); run daily, and once at start. Absent: no app installs here. */
  keepAppWebhooks?: () => Promise<unknown>;
}

/** The daily keeper's queue: its own, so the job types of the others stay as they are. */
export const APP_WEBHOOKS_QUEUE = 'app-webhooks';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(ctx: WorkerContext, options: WorkerOptions): Promise<RunningWorkers> {
  const prefix = options.prefix ?? '{cascade}';
  const connection = (): RedisClient => {
    const redis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: null });
    if (options.onRedisError) options.onRedisError('worker connection', redis);
    else redis.on('error', () => undefined);
    return redis;
  };
  const redis = connection();
  const invalidations = await startInvalidations({ publisher: redis, subscriber: connection(), channel: options.keys.invalidationChannel, source: ctx, logger: ctx.logger });

  const workers: Worker[] = [];
  const start = <T>(queue: string, processor: (job: Job<T>) => Promise<unknown>, extra: { concurrency?: number; limiter?: { max: number; duration: number } } = {}): Worker => {
    const worker: Worker = new Worker(
      queue,
      async (job: Job<T>) => {
        try {
          return await processor(job);
        } catch (err) {
          if (err instanceof RateLimitedError) {
            ctx.logger.warn({ queue, job: job.id, retryAfterMs: err.retryAfterMs }, `tracker rate limit reached: pausing ${queue} for ${Math.ceil(err.retryAfterMs / 1000)} s`);
            await worker.rateLimit(err.retryAfterMs);
            throw Worker.RateLimitError();
          }
          if (err instanceof PermanentTrackerError) throw new UnrecoverableError(err.message);
          // Revoked, or waiting for a new consent: the job ends here, having written nothing.
          if (err instanceof InstallationEndedError || err instanceof InstallationInactiveError) {
            ctx.logger.info({ queue, job: job.id, err: err.message }, `${queue} job ended: ${err.message}`);
            return { ended: err.message };
          }
          throw err;
        }
      },
      { connection: connection(), prefix, concurrency: extra.concurrency ?? 1, limiter: extra.limiter, autorun: true, lockDuration: JOB_LOCK_MS, lockRenewTime: JOB_LOCK_RENEW_MS },
    );
    worker.on('failed', (job, err) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
      const line = { queue, job: job?.id, attempts: job?.attemptsMade, err: err.message };
      if (final) ctx.logger.error(line, `${queue} job failed for good: ${err.message} (retry it from POST /admin/queues/failed/retry)`);
      else ctx.logger.warn(line, `${queue} job failed, will retry: ${err.message}`);
    });
    if (options.onRedisError) options.onRedisError(`worker ${queue}`, worker);
    else worker.on('error', (err) => ctx.logger.warn({ queue, err: err.message }, `${queue} worker error: ${err.message}`));
    workers.push(worker);
    return worker;
  };

  const perSecond = options.checksPerSecond ?? 40;
  start<EventJob>(QUEUE_NAMES.events, (job) => handleEvent(ctx, invalidations, job.data), { concurrency: 32 });
  const startChecks = (queue: string): Worker => start<CheckJob>(queue, (job) => checkTicket(ctx, job.data), { concurrency: options.checkConcurrency ?? 16, limiter: { max: perSecond, duration: 1000 } });
  // A queue and a limiter per tracker: a rate limit from one never pauses the other.
  for (const queue of TRACKER_IDS.map(checkQueueOf)) startChecks(queue);
  // And per installed workspace: a storm in one never holds up another's checks.
  const installationChecks = watchInstallations(ctx, options.installationPollMs ?? 2000, {
    start: startChecks,
    async stop(worker) {
      workers.splice(workers.indexOf(worker), 1);
      await worker.close();
    },
  });
  await installationChecks.sync();
  start<FanoutJob>(QUEUE_NAMES.fanout, (job) => fanOut(ctx, job.data), { concurrency: 2 });
  start<SweepJob | StartSweepJob | ReleaseHeldJob | BackfillJob | SignalsJob>(QUEUE_NAMES.sweeps, async (job) => {
    if ('signals' in job.data) return readSignals(ctx, job.data);
    if ('releaseHeld' in job.data) return releaseHeld(ctx, redis, options.keys, job.data);
    if ('backfill' in job.data) return backfillPage(ctx, job.data);
    if (!('start' in job.data)) return sweepPage(ctx, redis, options.keys, job.data);
    // Nightly: closed work leaves the store once the digest no longer shows it (finished this week, kept five).
    const pruned = await ctx.verdicts.pruneClosed(new Date(ctx.now().getTime() - CLOSED_KEPT_MS));
    if (pruned > 0) ctx.logger.info({ pruned }, `forgot ${pruned} tickets closed more than five weeks ago`);
    await startSignals(ctx);
    return startSweeps(ctx, redis, options.keys, { reason: 'nightly' });
  });
  for (const extra of options.extra ?? []) start(extra.queue, extra.processor, { concurrency: extra.concurrency ?? 1 });

  let keeperQueue: Queue | undefined;
  if (options.keepAppWebhooks) {
    const keep = options.keepAppWebhooks;
    start(APP_WEBHOOKS_QUEUE, () => keep());
    keeperQueue = new Queue(APP_WEBHOOKS_QUEUE, { connection: redis, prefix });
    // Daily: with 30-day webhooks refreshed when 10 days remain, a few missed days still lose nothing.
    await keeperQueue.upsertJobScheduler('keep-app-webhooks', { pattern: '20 4 * * *', tz: options.timeZone ?? 'UTC' }, { name: 'keep' });
    await keeperQueue.add('keep', {}, { removeOnComplete: true, removeOnFail: 100 });
  }

  const mover = startInboxMover(new Inbox(redis, options.keys, { lockMs: INBOX_LOCK_MS }), ctx.queues.events, ctx.logger, ctx.metrics, { idleMs: options.inboxIdleMs });

  // DRY_RUN may have changed with this start: the tickets waiting for budget are looked at again.
  await ctx.queues.sweeps.add('release-held', { releaseHeld: 'start' });
  // The forecasts' history: the last 12 weeks of done work, read back (completions missed while stopped).
  await startBackfills(ctx, 'start');
  await ctx.queues.sweeps.upsertJobScheduler('nightly-sweep', { pattern: options.sweepCron ?? '0 3 * * *', tz: options.timeZone ?? 'UTC' }, { name: 'start-sweep', data: { start: 'nightly' } });

  let closing: Promise<void> | undefined;
  return {
    workers,
    // Ordered and idempotent: workers finish their current jobs, then the connections go; one failure does not skip the rest.
    close: () =>
      (closing ??= (async () => {
        installationChecks.stop();
        await mover.close();
        await Promise.allSettled(workers.map((w) => w.close()));
        await Promise.allSettled([keeperQueue?.close()]);
        await Promise.allSettled([invalidations.close(), redis.quit()]);
      })()),
  };
}

/**
 * The check workers of every installed workspace that is not revoked (one paused for a
 * new consent keeps its workers: its queue resumes when the admin connects it again),
 * started and stopped as installations are added and revoked. The store's version tells
 * when to look: one small read every `pollMs`.
 */
function watchInstallations(
  ctx: WorkerContext,
  pollMs: number,
  workers: { start(queue: string): Worker; stop(worker: Worker, ref: InstallationRef): Promise<void> },
): { sync(): Promise<void>; stop(): void } {
  const running = new Map<string, { worker: Worker; ref: InstallationRef }>();
  let seen: number | undefined;
  let stopped = false;
  let syncing: Promise<void> | undefined;
  const sync = (): Promise<void> =>
    (syncing ??= (async () => {
      try {
        const installations = ctx.installations;
        if (!installations || stopped) return;
        const version = await installations.version();
        if (version === seen) return;
        const wanted = new Map<string, InstallationRef>();
        for (const record of await installations.list()) {
          if (record.status === 'revoked' || !TRACKER_IDS.includes(record.tracker as TrackerId)) continue;
          const ref = { tracker: record.tracker as TrackerId, installation: record.id };
          wanted.set(checkQueueName(ref), ref);
        }
        for (const [queue, ref] of wanted) {
          if (running.has(queue) || stopped) continue;
          running.set(queue, { worker: workers.start(queue), ref });
          ctx.logger.info({ queue, installation: ref.installation }, `serving the checks of ${ref.tracker} installation ${ref.installation}`);
        }
        for (const [queue, { worker, ref }] of running) {
          if (wanted.has(queue)) continue;
          running.delete(queue);
          await workers.stop(worker, ref);
          ctx.logger.info({ queue }, `stopped serving ${queue}: its installation is revoked`);
        }
        seen = version;
      } catch (err) {
        ctx.logger.warn({ err: (err as Error).message }, `could not look for new or revoked installations: ${(err as Error).message}`);
      } finally {
        syncing = undefined;
      }
    })());
  const timer = setInterval(() => void sync(), pollMs);
  timer.unref();
  return {
    sync,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
