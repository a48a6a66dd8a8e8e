// Linear end to end: a person changes issues in the sandbox, Linear-shaped
// signed webhooks reach the real receiver, and the real workers label and
// comment through @linear/sdk. What a team would see is what is asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { countFor, startE2E, waitFor, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { envelopeFor, buildLinearDelivery } from '../../sandbox/linear/index.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

function botComments(e: E2E, issueId: string): Array<{ id: string; body: string }> {
  const { store } = e.linear;
  return store.commentsOn(issueId).filter((c) => c.userId === store.bot.id);
}

async function fetches(e: E2E): Promise<number> {
  const metric = await e.cascade.metrics.trackerReads.get();
  return metric.values.filter((v) => v.labels.tracker === 'linear').reduce((a, v) => a + v.value, 0);
}

describe('Linear, end to end', () => {
  it('labels and comments an orphan once, then clears both when a person links it', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Export the audit trail to CSV for auditors', createdAt: daysAgo(2) });
    await e2e.idle();

    expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    const [comment, ...others] = botComments(e2e, issue.id);
    expect(others).toEqual([]);
    expect(comment?.body).toContain('not linked to a company objective');
    expect(comment?.body).toContain('Audit log'); // the closest objective's project, suggested from the title
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.verdict).toBe('orphan');

    store.updateIssue(issue.id, { projectId: store.requireProject('Audit log').id });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).not.toContain('no-objective');
    const after = botComments(e2e, issue.id);
    expect(after.map((c) => c.id)).toEqual([comment?.id]); // edited in place, not a second comment
    expect(after[0]?.body).toContain('Linked');
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.verdict).toBe('aligned');
  });

  it('gives each verdict its marks: stale, exempt, aligned and pending', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const stale = store.createIssue({ team: 'ENG', title: 'Offline mode for the Android app', project: 'Mobile beta', createdAt: daysAgo(3) });
    const exempt = store.createIssue({ team: 'ENG', title: 'Crash when saving an empty form', labels: ['bug'], createdAt: daysAgo(3) });
    const aligned = store.createIssue({ team: 'ENG', title: 'SAML metadata upload', project: 'SSO', createdAt: daysAgo(3) });
    const pending = store.createIssue({ team: 'ENG', title: 'Brand new idea', createdAt: new Date().toISOString() });
    await e2e.idle();

    expect(store.labelNamesOf(stale.id)).toContain('stale-objective');
    expect(botComments(e2e, stale.id)[0]?.body).toContain('no longer active');
    for (const quiet of [exempt, aligned, pending]) {
      expect(store.labelNamesOf(quiet.id).filter((l) => l.endsWith('-objective'))).toEqual([]);
      expect(botComments(e2e, quiet.id)).toEqual([]);
    }
    const verdictOf = async (id: string): Promise<string | undefined> => (await e2e!.cascade.verdicts.get('linear', id))?.verdict;
    expect([await verdictOf(stale.id), await verdictOf(exempt.id), await verdictOf(aligned.id), await verdictOf(pending.id)]).toEqual(['stale', 'exempt', 'aligned', 'pending']);
    // The pending ticket is looked at again when its grace period ends.
    const delayed = await e2e.cascade.queues.checks.linear.getJobs(['delayed']);
    expect(delayed.some((j) => j.data.ticketId === pending.id && j.data.reason === 'pending')).toBe(true);
  });

  it('causes no further writes from the webhooks of its own label and comment', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    await e2e.idle();
    const count = async () => ({ checks: await countFor(e2e!, 'checks', 'linear'), writes: await countFor(e2e!, 'writes', 'linear') });
    const before = { ...(await count()), deliveries: await countFor(e2e, 'deliveries', 'linear') };
    const issue = store.createIssue({ team: 'WEB', title: 'Dark mode for the editor', createdAt: daysAgo(2) });
    // The creation's delivery, then Cascade's label add and comment coming back as Issue and Comment
    // deliveries: once the receiver has all three, idle() waits until they are handled.
    await waitFor(async () => (await countFor(e2e!, 'deliveries', 'linear')) >= before.deliveries + 3, 'the echoes of the label and the comment');
    await e2e.idle();
    const after = await count();
    // One check (the creation's) and its two writes: the echoes caused nothing.
    expect({ checks: after.checks - before.checks, writes: after.writes - before.writes }).toEqual({ checks: 1, writes: 2 });
    expect(botComments(e2e, issue.id)).toHaveLength(1);
  });

  it('answers a repeated delivery as a duplicate and checks once', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'SCIM group sync', project: 'SCIM provisioning', createdAt: daysAgo(2) });
    await e2e.idle();
    const reads = await fetches(e2e);
    const delivery = buildLinearDelivery(e2e.linearSecret, envelopeFor(store, { type: 'Issue', action: 'update', record: issue, actorId: store.person.id, updatedFrom: { projectId: null } }, { webhookId: 'w' }));
    const post = (): Promise<Response> => fetch(`${e2e!.url}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const first = await post();
    const second = await post();
    expect(await first.json()).toEqual({ status: 'queued' });
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await e2e.idle();
    expect((await fetches(e2e)) - reads).toBe(1);
  });

  it('collapses 20 edits inside the quiet period into one check', async () => {
    e2e = await startE2E({ env: { CASCADE_QUIET_MS: '1500' } });
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Faster search results', project: 'Performance sprint', createdAt: daysAgo(2) });
    await e2e.idle();
    const reads = await fetches(e2e);
    for (let i = 0; i < 20; i++) store.setIssueLabels(issue.id, i % 2 === 0 ? ['frontend'] : []);
    await e2e.idle();
    expect((await fetches(e2e)) - reads).toBe(1);
  });

  it('refreshes the record from the payload without a tracker read when only the title changes', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Old title', project: 'SSO', createdAt: daysAgo(2) });
    await e2e.idle();
    const reads = await fetches(e2e);
    store.updateIssue(issue.id, { title: 'New title for SSO login' });
    await e2e.idle();
    expect(await fetches(e2e)).toBe(reads);
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.title).toBe('New title for SSO login');
  });

  it('finds its comment again after a restart instead of posting a second one', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Keyboard shortcut cheat sheet', createdAt: daysAgo(2) });
    await e2e.idle();
    expect(botComments(e2e, issue.id)).toHaveLength(1);
    await e2e.restart();
    store.setIssueLabels(issue.id, ['frontend', 'no-objective']); // still an orphan: the same comment stands
    await e2e.idle();
    expect(botComments(e2e, issue.id)).toHaveLength(1);
    expect(store.labelNamesOf(issue.id).sort()).toEqual(['frontend', 'no-objective']);
  });

  it('in a dry run decides and records but writes nothing', async () => {
    const config = exampleConfig();
    config.rules!.dry_run = true;
    e2e = await startE2E({ config });
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Redesign the settings page', createdAt: daysAgo(2) });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toEqual([]);
    expect(botComments(e2e, issue.id)).toEqual([]);
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.verdict).toBe('orphan');
  });

  it('re-checks the issues of a project when it joins an initiative, and of an initiative when it gets a parent', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    store.createProject({ name: 'Billing revamp' });
    const issues = [1, 2, 3].map((n) => store.createIssue({ team: 'ENG', title: `Billing page part ${n}`, project: 'Billing revamp', createdAt: daysAgo(2) }));
    const child = store.createIssue({ team: 'ENG', title: 'Billing page part 1a', parent: issues[0]!.id, createdAt: daysAgo(2) });
    await e2e.idle();
    for (const i of [...issues, child]) expect(store.labelNamesOf(i.id)).toContain('no-objective');

    store.createInitiative({ name: 'Monetisation' });
    store.updateProject('Billing revamp', { initiatives: ['Monetisation'] });
    await e2e.idle();
    for (const i of issues) expect(store.labelNamesOf(i.id)).toContain('no-objective'); // Monetisation is not in the tree

    store.updateInitiative('Monetisation', { parent: 'Activation and retention' });
    await e2e.idle();
    for (const i of [...issues, child]) {
      expect(store.labelNamesOf(i.id)).not.toContain('no-objective');
      expect(botComments(e2e, i.id)[0]?.body).toContain('Linked');
    }
  });

  it('waits out Linear’s rate limit and then checks', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    // Linear names the moment its bucket resets, 1 s after each limited answer; on a busy
    // machine that moment may be past when Cascade reads the answer, and it then waits 1 s.
    e2e.linear.rateLimitNext(2, 1);
    const issue = store.createIssue({ team: 'ENG', title: 'Two-factor login prompt', createdAt: daysAgo(2) });
    await e2e.idle();
    expect(e2e.linear.rateLimitedCount()).toBe(2);
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    expect(await e2e.cascade.queues.checks.linear.getFailedCount()).toBe(0);
  });
});
