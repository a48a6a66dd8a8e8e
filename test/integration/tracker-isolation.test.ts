// Linear and Jira connected at once: each tracker has its own rate budget, so
// one tracker's "slow down" must not hold up the other's checks.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, sleep, type E2E } from '../support/e2e.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('two trackers at once', () => {
  it('keeps checking Jira while Linear asks Cascade to wait', async () => {
    e2e = await startE2E();
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    e2e.linear.rateLimitNext(1, 6);
    const issue = e2e.linear.store.createIssue({ team: 'ENG', title: 'Inline editing of tables', createdAt: new Date(twoDaysAgo).toISOString() });
    await sleep(600); // Linear's check meets the rate limit and pauses the Linear queue
    const story = e2e.jira.store.createIssue({ project: 'ENT', type: 'Story', summary: 'Inline editing of tables', createdAt: twoDaysAgo, actor: '712020:priya' });

    const deadline = Date.now() + 4000;
    while (!e2e.jira.store.labels(story.key).includes('no-objective') && Date.now() < deadline) await sleep(100);
    expect(e2e.jira.store.labels(story.key)).toContain('no-objective');
    expect(e2e.linear.store.labelNamesOf(issue.id)).not.toContain('no-objective'); // still waiting out Linear's limit

    await e2e.idle();
    expect(e2e.linear.store.labelNamesOf(issue.id)).toContain('no-objective');
  });
});
