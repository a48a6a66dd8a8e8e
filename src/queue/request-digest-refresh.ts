// Asks the workers to recompute the pages' current digest. One job for every
// receiver and viewer together: BullMQ's deduplication keeps the id for `everyMs`
// from the first add, so however many views ask, at most one recompute is
// queued a minute, and it runs on a worker, never on the receiver's event loop.
import type { Queue } from 'bullmq';
import type { DigestJob } from './job-types.js';
import { CURRENT_DIGEST_REFRESH_MS } from '../digest/refresh-interval.js';

export const DIGEST_REFRESH_DEDUP_ID = 'digest-refresh';

export async function requestDigestRefresh(queue: Queue<DigestJob>, everyMs = CURRENT_DIGEST_REFRESH_MS): Promise<void> {
  await queue.add(
    'refresh',
    { kind: 'refresh' },
    {
      deduplication: { id: DIGEST_REFRESH_DEDUP_ID, ttl: everyMs },
      // A failed refresh is not retried: the next view past the minute asks again.
      attempts: 1,
      // Kept a while, not removed at once: removing the job would also drop its deduplication id early.
      removeOnComplete: { age: 3600, count: 10 },
      removeOnFail: { age: 24 * 3600, count: 10 },
    },
  );
}
