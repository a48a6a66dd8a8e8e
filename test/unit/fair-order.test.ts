// The events queue's turns (src/queue/fair-order.ts): each event's priority is
// its place in its own installation's run since the queue was last empty.
import { describe, expect, it } from 'vitest';
import { FairOrder, LOWEST_PRIORITY } from '../../src/queue/fair-order.js';
import type { EventJob } from '../../src/queue/job-types.js';

const job = (installation?: string, tracker: 'linear' | 'jira' = 'linear'): EventJob => ({
  tracker,
  deliveryId: `d-${Math.random()}`,
  receivedAt: new Date(0).toISOString(),
  ...(installation ? { installation } : {}),
  event: { kind: 'ticket', tracker, action: 'update', ticketId: 't', changed: [], relevant: true, fanout: false, fields: {} },
});

describe('FairOrder', () => {
  it("numbers each installation's events on their own, the default installation and each tracker apart", async () => {
    const fair = new FairOrder(async () => 5);
    expect(await fair.prioritiesOf([job('a'), job('a'), job('b'), job(), job('a'), job(undefined, 'jira'), job()])).toEqual([1, 2, 1, 1, 3, 1, 2]);
    // A later batch goes on from where each run stopped while events still wait.
    expect(await fair.prioritiesOf([job('b'), job('c'), job('a')])).toEqual([2, 1, 4]);
  });

  it('starts every run again once nothing waits', async () => {
    let waiting = 3;
    const fair = new FairOrder(async () => waiting);
    expect(await fair.prioritiesOf([job('a'), job('a')])).toEqual([1, 2]);
    waiting = 0;
    expect(await fair.prioritiesOf([job('a'), job('b')])).toEqual([1, 1]);
  });

  it("keeps a run longer than BullMQ's priorities at the lowest one, in order", async () => {
    const fair = new FairOrder(async () => 1);
    const one = job('a');
    const priorities = await fair.prioritiesOf(Array.from({ length: LOWEST_PRIORITY + 2 }, () => one));
    expect(priorities.slice(-3)).toEqual([LOWEST_PRIORITY, LOWEST_PRIORITY, LOWEST_PRIORITY]);
  });
});
