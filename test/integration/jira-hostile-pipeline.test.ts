// Hostile but signed Jira bodies through a whole running Cascade (receiver,
// mover, workers) against the Jira sandbox: each is answered 200 or 400, never
// 5xx, and none leaves a failed or retrying job behind.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startE2E, type E2E } from '../support/e2e.js';
import { HOSTILE_SEED, hostileJiraBody, hostileJiraCases } from '../support/hostile-jira.js';
import { signJiraBody } from '../../src/trackers/jira/verify-webhook.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('hostile Jira bodies, end to end', () => {
  it(`answers each with 200 or 400 and leaves no failed job (seed ${HOSTILE_SEED})`, async () => {
    e2e = await startE2E();
    const bodies = [
      ...hostileJiraCases().map((c) => JSON.stringify(c.body)),
      ...fc.sample(hostileJiraBody, { numRuns: 150, seed: HOSTILE_SEED }),
    ];
    const statuses = new Map<number, number>();
    for (const body of bodies) {
      const response = await fetch(`${e2e.url}/webhooks/jira`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, e2e.jiraSecret), 'x-atlassian-webhook-identifier': randomUUID() },
        body,
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect([200, 400], `${response.status} for ${body}`).toContain(response.status);
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    await e2e.idle();
    const queues = e2e.cascade.queues.all();
    const failed = await Promise.all(queues.map(async (q) => ({ queue: q.name, failed: await q.getFailedCount() })));
    expect(failed.filter((f) => f.failed > 0)).toEqual([]);
    // Nor any job waiting to retry after a failure.
    const retrying = (await Promise.all(queues.map((q) => q.getJobs(['delayed', 'wait'])))).flat().filter((job) => job.attemptsMade > 0 || job.failedReason);
    expect(retrying.map((job) => `${job.queueName} ${job.id}: ${job.failedReason}`)).toEqual([]);
  }, 60_000);
});
