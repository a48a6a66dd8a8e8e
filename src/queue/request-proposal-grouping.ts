// Asks a worker to group the proposals again after they changed. One job per
// PROPOSAL_GROUPING_DELAY_MS at most, whoever asks (the command handler after
// each proposal, a route that finds the stored grouping behind): BullMQ's
// deduplication keeps the id for the delay, so those proposals are grouped together,
// on a worker, never on the receiver's event loop. A change made while the job
// runs is caught by the job itself (it compares the proposals' version before
// and after, see workers/group-proposals-job.ts).
import type { Queue } from 'bullmq';
import type { DigestJob } from './job-types.js';

export const PROPOSAL_GROUPING_DEDUP_ID = 'group-proposals';
/** Proposals made within this long are grouped by one job: a grouping of 10,000 takes about a second of a worker. */
export const PROPOSAL_GROUPING_DELAY_MS = 3000;

export async function requestProposalGrouping(queue: Queue<DigestJob>, delayMs = PROPOSAL_GROUPING_DELAY_MS): Promise<void> {
  await queue.add(
    'group-proposals',
    { kind: 'proposals' },
    {
      delay: delayMs,
      deduplication: { id: PROPOSAL_GROUPING_DEDUP_ID, ttl: Math.max(1, delayMs) },
      // Not retried: the next change or view asks again, and the job re-runs itself when it missed one.
      attempts: 1,
      removeOnComplete: { age: 3600, count: 10 },
      removeOnFail: { age: 24 * 3600, count: 10 },
    },
  );
}
