// Putting work on the queues with BullMQ's deduplication doing the remembering.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { CheckJob, EventJob } from './job-types.js';

/** A delivery id is remembered this long: Linear and Jira retry within hours. */
export const DELIVERY_DEDUPE_MS = 24 * 60 * 60 * 1000;

/**
 * Queues an accepted delivery unless the same delivery was queued in the last
 * 24 h. One Redis round trip: BullMQ's deduplication answers with the existing
 * job's id, so a fresh job id that does not come back means a duplicate.
 */
export async function enqueueEvent(queue: Queue<EventJob>, job: EventJob): Promise<'queued' | 'duplicate'> {
  const jobId = randomUUID();
  const added = await queue.add('event', job, {
    jobId,
    deduplication: { id: `${job.tracker}:${job.deliveryId}`, ttl: DELIVERY_DEDUPE_MS },
    removeOnComplete: true,
  });
  return added.id === jobId ? 'queued' : 'duplicate';
}

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
