// Putting work on the queues with BullMQ's deduplication doing the remembering.
import type { Queue } from 'bullmq';
import type { CheckJob } from './job-types.js';

/**
 * Schedules a check of one ticket after the quiet period. Further requests for
 * the same ticket inside the period push it back and replace it (debounce), and
 * one that arrives while the check runs is kept and runs after it, so no edit
 * is ever lost to the deduplication.
 */
export async function scheduleCheck(queue: Queue<CheckJob>, job: CheckJob, quietMs: number): Promise<void> {
  await queue.add('check', job, {
    delay: quietMs,
    deduplication: { id: `${job.tracker}:${job.ticketId}`, ttl: Math.max(quietMs, 1), extend: true, replace: true, keepLastIfActive: true },
  });
}

/** Many checks at once (fan-out, sweeps): one round trip for the page. */
export async function scheduleChecks(queue: Queue<CheckJob>, jobs: CheckJob[], quietMs: number): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(
    jobs.map((job) => ({
      name: 'check',
      data: job,
      opts: {
        delay: quietMs,
        deduplication: { id: `${job.tracker}:${job.ticketId}`, ttl: Math.max(quietMs, 1), extend: true, replace: true, keepLastIfActive: true },
      },
    })),
  );
}

/**
 * A check later (grace period over, write budget free): a timer job that, when
 * due, only asks for the ticket's one de-duplicated check. The timer is not the
 * check itself, so it never displaces a check a webhook asked for meanwhile.
 * One timer per ticket, kind and minute.
 */
export async function scheduleTimer(queue: Queue<CheckJob>, job: Omit<CheckJob, 'timer'>, kind: 'pending' | 'held' | 'exemption-ends', at: number, now: Date): Promise<void> {
  const minute = Math.ceil(at / 60_000);
  // Removed once run, so that a later timer for the same minute is not taken for a duplicate of it.
  await queue.add('check', { ...job, timer: true }, { delay: Math.max(0, at - now.getTime()), jobId: `${kind}-${job.tracker}-${job.ticketId}-${minute}`, removeOnComplete: true });
}
