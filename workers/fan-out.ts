// On a change to a container (parent ticket, epic, project, initiative):
// re-check the tickets under it, one page per job so a long list survives a
// restart half-way and stays inside the tracker's rate limit.
import type { FanoutJob } from '../src/queue/job-types.js';
import { scheduleChecks } from '../src/queue/enqueue.js';
import type { WorkerContext } from './worker-context.js';
import { trackerOf } from './check-ticket.js';
import { installationOf } from '../src/trackers/installations.js';

export async function fanOut(ctx: WorkerContext, job: FanoutJob): Promise<{ tickets: number; more: boolean }> {
  const tracker = await trackerOf(ctx, job);
  const page = await tracker.listTicketsUnder(job.container, job.cursor);
  await scheduleChecks(
    ctx.queues.checksFor(job),
    page.items.map((ticketId) => ({ tracker: job.tracker, ...installationOf(job), ticketId, reason: 'fanout' as const, deliveryId: job.deliveryId })),
    ctx.quietMs,
  );
  if (page.next) await ctx.queues.fanout.add('fanout', { ...job, cursor: page.next });
  return { tickets: page.items.length, more: page.next !== undefined };
}
