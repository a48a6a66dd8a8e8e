// A check that ended in the failed list must not hold on to its ticket's
// de-duplication id: the nightly sweep (and the next webhook) enqueue a fresh
// check for that ticket, which has to run. Real BullMQ on a real redis-server.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { scheduleCheck, scheduleChecks } from '../../src/queue/enqueue.js';
import type { CheckJob } from '../../src/queue/job-types.js';
import { testPrefix } from '../support/test-prefix.js';

const redisUrl = inject('redisUrl');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

/** Long enough that the de-duplication id would still be alive when the check fails. */
const QUIET_MS = 10 * 60 * 1000;

function setUp(): { queues: Queues; prefix: string; connection: () => Redis } {
  const prefix = testPrefix('t');
  const connection = (): Redis => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    cleanups.push(async () => redis.disconnect());
    return redis;
  };
  const queues = createQueues({ connection: connection(), prefix });
  cleanups.push(() => queues.close());
  return { queues, prefix, connection };
}

async function delayedOnly(queues: Queues): Promise<Array<Job<CheckJob>>> {
  return queues.checks.jira.getJobs(['delayed']);
}

describe('a check that failed for good', () => {
  it.each([
    ['the next webhook', (queues: Queues, job: CheckJob) => scheduleCheck(queues.checks.jira, job, QUIET_MS)],
    ['the nightly sweep', (queues: Queues, job: CheckJob) => scheduleChecks(queues.checks.jira, [job], QUIET_MS)],
  ])('does not stop %s from checking the ticket again', async (_who, enqueue) => {
    const { queues, prefix, connection } = setUp();
    let runs = 0;
    let fail = true;
    const finished: Array<'completed' | 'failed'> = [];
    const worker = new Worker<CheckJob>(queues.checks.jira.name, async () => {
      runs += 1;
      if (fail) throw new UnrecoverableError('Jira refused the request (403)');
      return 'checked';
    }, { connection: connection(), prefix });
    cleanups.push(() => worker.close());
    let notify = (): void => undefined;
    worker.on('completed', () => (finished.push('completed'), notify()));
    worker.on('failed', () => (finished.push('failed'), notify()));
    const settled = () => {
      const before = finished.length;
      return new Promise<void>((resolve) => (notify = () => finished.length > before && resolve()));
    };

    const job: CheckJob = { tracker: 'jira', ticketId: '10001', reason: 'webhook' };
    await enqueue(queues, job);
    const [first] = await delayedOnly(queues);
    let done = settled();
    await first!.promote(); // the quiet period is over
    await done;
    expect(await queues.checks.jira.getFailedCount()).toBe(1);

    fail = false;
    await enqueue(queues, { ...job, reason: 'sweep' });
    const again = await delayedOnly(queues);
    expect(again.map((j) => j.data.reason)).toEqual(['sweep']);
    done = settled();
    await again[0]!.promote();
    await done;
    expect(finished).toEqual(['failed', 'completed']);
    expect(runs).toBe(2);
  });
});
