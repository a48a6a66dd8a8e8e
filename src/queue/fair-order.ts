// The order events leave the events queue in, fair between installations.
// One tenant's installed workspaces share its events queue: first in, first
// out, a storm of 2,000 webhooks in one workspace made every other workspace's
// next event wait behind all of them. Instead each event gets a BullMQ priority: its place in its own
// installation's run of events since the queue was last empty (1, 2, 3, …).
// Equal priorities leave in the order they came, so the queue serves the
// installations round-robin, and each installation's own events keep their
// order. The count starts again whenever nothing waits. (A new mover starts
// with no counts: an installation's events may then pass some of its own still
// waiting, as events handled side by side already may.)
// bench/installations.ts, 2,000 webhooks in one of 100 workspaces, load 6-8 on
// 2 cores: first in, first out, the other workspaces' check latency was
// 2.2-2.6× idle at p50 and 13-19× at p95; in turns, 1.0-1.6× and 1.1-2.6×.
import type { EventJob } from './job-types.js';

/** BullMQ's lowest priority (2^21): a run longer than this stays at it, in order. */
export const LOWEST_PRIORITY = 2_097_152;

export class FairOrder {
  private readonly runs = new Map<string, number>();

  /** `waiting`: the events queue's jobs not yet taken (waiting and prioritized). */
  constructor(private readonly waiting: () => Promise<number>) {}

  /** The priorities of a batch about to be added, in its order. */
  async prioritiesOf(jobs: EventJob[]): Promise<number[]> {
    if ((await this.waiting()) === 0) this.runs.clear();
    return jobs.map((job) => {
      const key = `${job.tracker}:${job.installation ?? ''}`;
      const next = Math.min(LOWEST_PRIORITY, (this.runs.get(key) ?? 0) + 1);
      this.runs.set(key, next);
      return next;
    });
  }
}
