// Jira end to end: the sandbox sends Jira-shaped, X-Hub-Signature-signed
// deliveries to the real receiver; the workers write back through jira.js.
import { afterEach, describe, expect, it } from 'vitest';
import { countFor, startE2E, waitFor, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { buildSignedJiraDelivery } from '../../sandbox/jira/index.js';
import { payloadsFor } from '../../sandbox/jira/webhooks.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const BOT = '712020:cascade-bot';
const PERSON = '712020:priya';
const daysAgo = (n: number): number => Date.now() - n * 86_400_000;

async function fetches(e: E2E): Promise<number> {
  const metric = await e.cascade.metrics.trackerReads.get();
  return metric.values.filter((v) => v.labels.tracker === 'jira').reduce((a, v) => a + v.value, 0);
}

function botComments(e: E2E, key: string): string[] {
  return e.jira.store.comments(key).filter((c) => c.authorId === BOT).map((c) => adfToText(c.body));
}

describe('Jira, end to end', () => {
  it('labels and comments an orphan story once, then clears both when a person sets its epic', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Speed up the dashboard page load', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');
    const comments = botComments(e2e, story.key);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('OPS-10'); // the epic under the closest objective, suggested from the summary

    store.updateIssue(story.key, { parent: 'OPS-10' }, PERSON);
    await e2e.idle();
    expect(store.labels(story.key)).not.toContain('no-objective');
    const after = botComments(e2e, story.key);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('Linked');
  });

  it('leaves exempt issue types alone and flags work under a retired epic as stale', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const bug = store.createIssue({ project: 'ENT', type: 'Bug', summary: 'Login fails with an expired token', createdAt: daysAgo(2), actor: PERSON });
    const stale = store.createIssue({ project: 'MOB', type: 'Story', summary: 'Push notifications on iOS', parent: 'MOB-1', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    expect(store.labels(bug.key)).toEqual([]);
    expect(botComments(e2e, bug.key)).toEqual([]);
    expect(store.labels(stale.key)).toContain('stale-objective');
  });

  it('re-checks the stories under an epic when the epic moves under an objective', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const epic = store.createIssue({ project: 'ENT', type: 'Epic', summary: 'Data residency in the EU', createdAt: daysAgo(5), actor: PERSON });
    const stories = [1, 2, 3].map((n) => store.createIssue({ project: 'ENT', type: 'Story', summary: `Residency step ${n}`, parent: epic.key, createdAt: daysAgo(2), actor: PERSON }));
    await e2e.idle();
    for (const s of stories) expect(store.labels(s.key)).toContain('no-objective');

    store.updateIssue(epic.key, { parent: 'ENT-1' }, PERSON);
    await e2e.idle();
    for (const s of stories) {
      expect(store.labels(s.key)).not.toContain('no-objective');
      expect(botComments(e2e, s.key)[0]).toContain('Linked');
    }
  });

  it('causes no further writes from its own label and comment deliveries', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    await e2e.idle();
    const count = async () => ({ checks: await countFor(e2e!, 'checks', 'jira'), writes: await countFor(e2e!, 'writes', 'jira') });
    const before = { ...(await count()), deliveries: await countFor(e2e, 'deliveries', 'jira') };
    const story = store.createIssue({ project: 'API', type: 'Story', summary: 'Dark mode for the developer portal', createdAt: daysAgo(2), actor: PERSON });
    // The creation's delivery, then Cascade's label and comment coming back as deliveries:
    // once the receiver has all three, idle() waits until they are handled.
    await waitFor(async () => (await countFor(e2e!, 'deliveries', 'jira')) >= before.deliveries + 3, 'the echoes of the label and the comment');
    await e2e.idle();
    const after = await count();
    // One check (the creation's) and its two writes: the echoes caused nothing.
    expect({ checks: after.checks - before.checks, writes: after.writes - before.writes }).toEqual({ checks: 1, writes: 2 });
    expect(botComments(e2e, story.key)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After, then checks', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    e2e.jira.rateLimitNext(2, 1);
    const story = store.createIssue({ project: 'ENT', type: 'Story', summary: 'Session timeout settings', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');
    expect(await e2e.cascade.queues.checks.jira.getFailedCount()).toBe(0);
  });

  it('in a dry run writes nothing to Jira', async () => {
    const config = exampleConfig();
    config.rules!.dry_run = true;
    e2e = await startE2E({ config });
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'ENT', type: 'Story', summary: 'Bulk user import', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    expect(store.labels(story.key)).toEqual([]);
    expect(botComments(e2e, story.key)).toEqual([]);
    expect((await e2e.cascade.verdicts.get('jira', story.id))?.verdict).toBe('orphan');
  });

  it('records aligned and pending work without writing to it', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const aligned = store.createIssue({ project: 'API', type: 'Story', summary: 'Cursor pagination for /v2/issues', parent: 'API-1', createdAt: daysAgo(2), actor: PERSON });
    const pending = store.createIssue({ project: 'ENT', type: 'Story', summary: 'Just filed', createdAt: Date.now(), actor: PERSON });
    await e2e.idle();
    for (const issue of [aligned, pending]) {
      expect(store.labels(issue.key)).toEqual([]);
      expect(botComments(e2e, issue.key)).toEqual([]);
    }
    expect((await e2e.cascade.verdicts.get('jira', aligned.id))?.verdict).toBe('aligned');
    expect((await e2e.cascade.verdicts.get('jira', pending.id))?.verdict).toBe('pending');
  });

  it('answers a repeated delivery as a duplicate, and collapses a burst of edits into one check', async () => {
    e2e = await startE2E({ env: { CASCADE_QUIET_MS: '1500' } });
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Alert on slow queries', parent: 'OPS-10', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    const [payload] = payloadsFor(store, e2e.jira.baseUrl, { kind: 'issue_created', issue: story, actorId: PERSON });
    const delivery = buildSignedJiraDelivery(payload, e2e.jiraSecret, { identifier: 'delivery-1' });
    const post = (): Promise<Response> => fetch(`${e2e!.url}/webhooks/jira`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(await (await post()).json()).toEqual({ status: 'queued' });
    expect(await (await post()).json()).toEqual({ status: 'duplicate' });
    await e2e.idle();

    const reads = await fetches(e2e);
    for (let i = 0; i < 20; i++) store.updateIssue(story.key, { labels: i % 2 === 0 ? ['backend'] : [] }, PERSON);
    await e2e.idle();
    expect((await fetches(e2e)) - reads).toBe(1);
  });

  it('finds its comment again after a restart instead of posting a second one', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const story = store.createIssue({ project: 'ENT', type: 'Story', summary: 'Tenant-level feature flags', createdAt: daysAgo(2), actor: PERSON });
    await e2e.idle();
    expect(botComments(e2e, story.key)).toHaveLength(1);
    await e2e.restart();
    store.updateIssue(story.key, { labels: ['no-objective', 'backend'] }, PERSON);
    await e2e.idle();
    expect(botComments(e2e, story.key)).toHaveLength(1);
  });
});
