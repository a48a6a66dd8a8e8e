// Linear and Jira connected at once: each tracker has its own rate budget, so
// one tracker's "slow down" must not hold up the other's checks.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, waitFor, type E2E } from '../support/e2e.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('two trackers at once', () => {
  it('keeps checking Jira while Linear asks Cascade to wait', async () => {
    e2e = await startE2E();
    // The start's own reads (the completion history read back) are done first: the limit is for the check.
    await e2e.idle();
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    e2e.linear.rateLimitNext(1, 6);
    const issue = e2e.linear.store.createIssue({ team: 'ENG', title: 'Inline editing of tables', createdAt: new Date(twoDaysAgo).toISOString() });
    // Linear's check met the rate limit, and the Linear check queue is paused for longer than its limiter's 1 s window.
    await waitFor(() => e2e!.linear.rateLimitedCount() === 1, 'the Linear sandbox to answer with a rate limit');
    await waitFor(async () => (await e2e!.cascade.queues.checks.linear.getRateLimitTtl()) > 1000, 'the Linear check queue to pause');
    const story = e2e.jira.store.createIssue({ project: 'ENT', type: 'Story', summary: 'Inline editing of tables', createdAt: twoDaysAgo, actor: '712020:priya' });

    // Jira is checked while Linear's queue still waits out its 6 s: asserted on the pause
    // itself when the label shows (longer than the limiter's own 1 s window), not on a
    // shorter fixed time a loaded machine may exceed.
    await waitFor(() => e2e!.jira.store.labels(story.key).includes('no-objective'), 'the Jira story to be labelled');
    expect(await e2e.cascade.queues.checks.linear.getRateLimitTtl()).toBeGreaterThan(1000);
    expect(e2e.linear.store.labelNamesOf(issue.id)).not.toContain('no-objective'); // still waiting out Linear's limit

    await e2e.idle();
    expect(e2e.linear.store.labelNamesOf(issue.id)).toContain('no-objective');
  });
});
