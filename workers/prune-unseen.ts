// Mark and sweep for the verdict records. Each page of a full nightly sweep
// marks the tickets it listed; when the sweep's last page is done, a record of
// an open ticket the sweep did not list (deleted, moved out of scope, or out of
// scope since a config change) is forgotten, so the store holds what exists.
// A ticket that may still carry Cascade's label is never written from here: it
// gets the normal per-ticket check, which reads it fresh and decides (a ticket
// out of scope is exempt: the check clears Cascade's label; a deleted one is
// forgotten). The next night's sweep then forgets its record.
//
// Also bounds the sweep index (the sorted set behind GET /admin/queues). What is
// kept in Redis and how: src/store/sweep-progress.ts, src/store/unseen-verdicts.ts.
import type { RedisClient } from '../src/store/redis-client.js';
import type { CheckJob, SweepJob } from '../src/queue/job-types.js';
import type { Keys } from '../src/store/keys.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { scheduleChecks } from '../src/queue/enqueue.js';
import { dropSeen, markSeen, sweepStartedAt, trimSweepIndex, wereSeen } from '../src/store/sweep-progress.js';
import { forgetUnchanged, openVerdictsCheckedBefore } from '../src/store/unseen-verdicts.js';
import type { WorkerContext } from './worker-context.js';
import { DEFAULT_INSTALLATION, installationOf } from '../src/trackers/installations.js';

/** Verdicts whose ticket may show Cascade's label or comment: only a check may clear them. */
const MARKED = new Set<VerdictRecord['verdict']>(['orphan', 'stale']);

export interface PruneOutcome {
  forgotten: number;
  checked: number;
}

type PruneContext = Pick<WorkerContext, 'queues' | 'logger'>;

/** Only a nightly sweep over the config's whole scope sees everything that should be kept. */
const isFull = (job: SweepJob): boolean => job.reason === 'nightly' && job.teams.length === 0;

/**
 * Called once per sweep page with the ids the page listed. Marks them; after
 * the last page, trims the sweep index and, for a full nightly sweep, forgets
 * what was not seen.
 */
export async function notePageSeen(ctx: PruneContext, redis: RedisClient, keys: Keys, job: SweepJob, ticketIds: string[], last: boolean): Promise<PruneOutcome | null> {
  if (isFull(job) && ticketIds.length > 0) await markSeen(redis, keys, job.sweepId, ticketIds);
  if (!last) return null;
  await trimSweepIndex(redis, keys, Date.now());
  if (!isFull(job)) return null;
  try {
    const startedAt = await sweepStartedAt(redis, keys, job.sweepId);
    // Without its start time the sweep cannot tell an old record from one written while it ran.
    if (Number.isNaN(startedAt)) return null;
    const outcome = await pruneUnseen(ctx, redis, keys, job, startedAt);
    if (outcome.forgotten + outcome.checked > 0) {
      ctx.logger.info({ tracker: job.tracker, sweepId: job.sweepId, ...outcome }, `nightly sweep: forgot ${outcome.forgotten} ${job.tracker} tickets it no longer sees; ${outcome.checked} that may carry Cascade's label get a check`);
    }
    return outcome;
  } finally {
    await dropSeen(redis, keys, job.sweepId);
  }
}

async function pruneUnseen(ctx: PruneContext, redis: RedisClient, keys: Keys, job: SweepJob, startedAt: number): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { forgotten: 0, checked: 0 };
  for await (const candidates of openVerdictsCheckedBefore(redis, keys, job.tracker, startedAt)) {
    const marks = await wereSeen(redis, keys, job.sweepId, candidates.map((c) => c.record.id));
    // Each installation's sweep sees only its own workspace: the records of another installation of the tracker are its sweep's to judge.
    const unseen = candidates.filter((c, i) => !marks[i] && (c.record.installation ?? DEFAULT_INSTALLATION) === (job.installation ?? DEFAULT_INSTALLATION));
    const toCheck: CheckJob[] = unseen.filter((c) => MARKED.has(c.record.verdict)).map((c) => ({ tracker: job.tracker, ...installationOf(job), ticketId: c.record.id, reason: 'sweep' }));
    if (toCheck.length > 0) await scheduleChecks(ctx.queues.checksFor(job), toCheck, 0);
    outcome.forgotten += await forgetUnchanged(redis, keys, unseen.filter((c) => !MARKED.has(c.record.verdict)));
    outcome.checked += toCheck.length;
  }
  return outcome;
}
