// Completion history end to end: the real workers against both sandboxes keep,
// for every finished ticket, its done date and the lineage it had when it
// closed, and read the last 12 weeks back on start and after a config change.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import type { CompletionRecord } from '../../src/records/completion-record.js';
import { createdSince } from '../../src/store/created-history.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

async function reads(e: E2E, tracker: 'linear' | 'jira'): Promise<number> {
  const metric = await e.cascade.metrics.trackerReads.get();
  return metric.values.filter((v) => v.labels.tracker === tracker).reduce((a, v) => a + v.value, 0);
}

/** Every record of the last 14 weeks, by key, as the forecasts will read them. */
async function history(e: E2E): Promise<Map<string, CompletionRecord>> {
  const all = await e.cascade.context.completions.since(new Date(Date.now() - 14 * 7 * DAY));
  return new Map(all.map((r) => [`${r.tracker}:${r.key}`, r]));
}

async function putConfig(e: E2E, config: ReturnType<typeof exampleConfig>): Promise<void> {
  const auth = { authorization: `Bearer ${e.adminToken}` };
  const etag = (await fetch(`${e.url}/admin/config`, { headers: auth })).headers.get('etag')!;
  const put = await fetch(`${e.url}/admin/config`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', 'if-match': etag }, body: JSON.stringify(config) });
  expect(put.status).toBe(200);
}

describe('Completion history', () => {
  it('records a Linear ticket closed through a webhook with the lineage it had, in one read, and forgets it when reopened', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'Okta group push', project: 'SSO', estimate: 3, createdAt: daysAgo(9) });
    const dropped = store.createIssue({ team: 'WEB', title: 'Animated confetti on signup', createdAt: daysAgo(9) });
    await e2e.idle();
    const open = await e2e.cascade.verdicts.get('linear', issue.id);
    expect(open?.verdict).toBe('aligned');
    expect(open?.rank).toEqual(expect.any(Number)); // the open ticket's place for the cut line

    const before = await reads(e2e, 'linear');
    const team = store.teams.get(issue.teamId)!;
    store.updateIssue(issue.id, { stateId: store.requireState(team.id, 'completed').id });
    store.updateIssue(dropped.id, { stateId: store.requireState(store.teams.get(dropped.teamId)!.id, 'canceled').id });
    await e2e.idle();
    expect((await reads(e2e, 'linear')) - before).toBe(2); // one read per check, warm caches

    const done = await e2e.cascade.context.completions.get('linear', issue.id);
    expect(done).toMatchObject({
      key: open?.key, team: 'ENG', estimate: 3, verdict: 'aligned', objectiveIds: open?.objectiveIds,
      doneKind: 'completed', doneFrom: 'tracker', doneAt: store.issues.get(issue.id)?.completedAt, source: 'check', createdAt: open?.createdAt,
    });
    expect(done?.objectiveIds).toContain('enterprise');
    expect(await e2e.cascade.context.completions.get('linear', dropped.id)).toMatchObject({ verdict: 'orphan', objectiveIds: [], doneKind: 'canceled', doneAt: store.issues.get(dropped.id)?.canceledAt });

    store.updateIssue(issue.id, { stateId: store.requireState(team.id, 'started').id });
    await e2e.idle();
    expect(await e2e.cascade.context.completions.get('linear', issue.id)).toBeNull();
  });

  it('closes a known ticket from an update that needs no read when the close itself was never delivered', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const issue = store.createIssue({ team: 'ENG', title: 'SCIM group sync', project: 'SCIM provisioning', createdAt: daysAgo(5) });
    await e2e.idle();
    const open = await e2e.cascade.verdicts.get('linear', issue.id);
    // The close's delivery is lost; the next change (an estimate) says the issue is done.
    store.withoutWebhooks(() => store.updateIssue(issue.id, { stateId: store.requireState(issue.teamId, 'completed').id }));
    const before = await reads(e2e, 'linear');
    store.updateIssue(issue.id, { estimate: 5 });
    await e2e.idle();
    expect((await reads(e2e, 'linear')) - before).toBe(0);
    expect(await e2e.cascade.context.completions.get('linear', issue.id)).toMatchObject({
      verdict: 'aligned', objectiveIds: open?.objectiveIds, estimate: 5, doneFrom: 'seen', source: 'event', createdAt: open?.createdAt,
    });
  });

  it('records a Jira story resolved through a webhook with its epic lineage and resolution date', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    await e2e.idle();
    store.updateIssue('API-2', { status: 'Done' });
    await e2e.idle();
    const issue = store.requireIssue('API-2');
    const done = await e2e.cascade.context.completions.get('jira', issue.id);
    expect(done).toMatchObject({ key: 'API-2', team: 'API', verdict: 'aligned', doneKind: 'completed', doneFrom: 'tracker', source: 'check', estimate: null });
    expect(done?.objectiveIds).toContain('platform');
    expect(Date.parse(done!.doneAt)).toBe(issue.resolved);
  });

  it('reads the last 12 weeks back on start, in pages, and the same again on the next start', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    // Finished while Cascade was not listening: only the backfill can know of them.
    const old = store.withoutWebhooks(() => {
      for (let i = 0; i < 130; i += 1) {
        store.createIssue({ team: 'ENG', title: `Shipped ${i}`, ...(i % 2 === 0 ? { project: 'Audit log' } : {}), state: 'completed', createdAt: daysAgo(80), doneAt: daysAgo(1 + (i % 70)) });
      }
      return store.createIssue({ team: 'ENG', title: 'Shipped last spring', state: 'completed', createdAt: daysAgo(200), doneAt: daysAgo(100) });
    });
    await e2e.idle();
    await e2e.restart();
    await e2e.idle();

    const first = await history(e2e);
    const linear = [...first.values()].filter((r) => r.tracker === 'linear' && r.key.startsWith('ENG') && r.source === 'backfill');
    expect(linear.filter((r) => /^Shipped \d+$/.test(store.issues.get(r.id)?.title ?? ''))).toHaveLength(130);
    expect([...first.values()].some((r) => r.id === old.id)).toBe(false);
    const audit = linear.find((r) => store.issues.get(r.id)?.title === 'Shipped 0');
    expect(audit).toMatchObject({ verdict: 'aligned', doneFrom: 'tracker' });
    expect(audit?.objectiveIds).toEqual(expect.arrayContaining(['audit', 'enterprise']));
    expect(linear.find((r) => store.issues.get(r.id)?.title === 'Shipped 1')).toMatchObject({ verdict: 'orphan', objectiveIds: [] });
    // Jira's seeded Done story comes back too, with its resolution date.
    expect(first.get('jira:OPS-15')).toMatchObject({ source: 'backfill', doneFrom: 'tracker', verdict: 'orphan' });

    await e2e.restart();
    await e2e.idle();
    expect(await history(e2e)).toEqual(first);
  });

  it('reads the history back under a new config when the config changes', async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const fix = store.withoutWebhooks(() => store.createIssue({ team: 'WEB', title: 'Retry failed card payments', labels: ['churn-fix'], state: 'completed', createdAt: daysAgo(40), doneAt: daysAgo(20) }));
    await e2e.restart();
    await e2e.idle();
    expect(await e2e.cascade.context.completions.get('linear', fix.id)).toMatchObject({ verdict: 'orphan', objectiveIds: [] });

    const config = exampleConfig();
    const retention = config.objectives.find((o) => o.id === 'retention')!;
    retention.match = { ...retention.match, linear: { ...retention.match?.linear, labels: [...(retention.match?.linear?.labels ?? []), 'churn-fix'] } };
    await putConfig(e2e, config);
    await e2e.idle();
    expect(await e2e.cascade.context.completions.get('linear', fix.id)).toMatchObject({ verdict: 'aligned', objectiveIds: ['retention'], source: 'backfill' });
  });

  it("keeps Linear's customer requests and the health of project and initiative updates, read in pages on start", async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const acme = store.createCustomer({ name: 'Acme Corp', revenue: 120_000, tier: 'Enterprise' });
    const globex = store.createCustomer({ name: 'Globex', revenue: null });
    const sso = store.createIssue({ team: 'ENG', title: 'SAML for the EU tenant', project: 'SSO', createdAt: daysAgo(3) });
    store.createCustomerNeed({ customer: acme.id, issue: sso.id, priority: 1 });
    store.createCustomerNeed({ customer: globex.id, project: 'Audit log' });
    // Enough requests for more than one page (Linear's largest is 250).
    for (let i = 0; i < 260; i += 1) store.createCustomerNeed({ customer: globex.id, project: 'Guided onboarding' });
    store.reportHealth('project', 'SSO', 'onTrack');
    store.reportHealth('initiative', 'Activation and retention', 'offTrack');
    await e2e.idle();
    await e2e.restart();
    await e2e.idle();

    const demand = await e2e.cascade.context.signals.demand();
    expect(demand).toHaveLength(262);
    expect(demand.find((d) => d.ticketId === sso.id)).toMatchObject({
      tracker: 'linear', priority: 1, projectId: store.requireProject('SSO').id,
      customer: { id: acme.id, name: 'Acme Corp', revenue: 120_000, tier: 'Enterprise' },
    });
    expect(demand.find((d) => d.ticketId === null && d.projectId === store.requireProject('Audit log').id)).toMatchObject({ customer: { name: 'Globex', revenue: null, tier: null } });
    const health = await e2e.cascade.context.signals.health();
    expect(health.map((h) => [h.kind, h.name, h.health]).sort()).toEqual([
      ['initiative', 'Activation and retention', 'offTrack'],
      ['project', 'SSO', 'onTrack'],
    ]);
  });

  it('reads the Jira customer field the config names, and only once it names one', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    store.defineNumberField('customfield_10050');
    store.setNumberFields('ENT-7', { customfield_10050: 3 });
    store.setNumberFields('OPS-14', { customfield_10050: 0 });
    await e2e.idle();
    await e2e.restart();
    await e2e.idle();
    expect(await e2e.cascade.context.signals.fieldDemand()).toEqual([]);

    const config = exampleConfig();
    config.rules = { ...config.rules, customer_field: 'customfield_10050' };
    await putConfig(e2e, config);
    await e2e.idle();
    expect(await e2e.cascade.context.signals.fieldDemand()).toEqual([
      { tracker: 'jira', ticketId: store.requireIssue('ENT-7').id, key: 'ENT-7', field: 'customfield_10050', value: 3 },
    ]);
  });

  it("gives every ticket created in the window once, open or done, for the weekly created counts", async () => {
    e2e = await startE2E();
    const { store } = e2e.linear;
    const open = store.createIssue({ team: 'ENG', title: 'Okta SCIM groups', project: 'SCIM provisioning', createdAt: daysAgo(10) });
    const { done, ancient } = store.withoutWebhooks(() => ({
      done: store.createIssue({ team: 'WEB', title: 'Onboarding checklist copy', project: 'Guided onboarding', state: 'completed', createdAt: daysAgo(40), doneAt: daysAgo(30) }),
      ancient: store.createIssue({ team: 'WEB', title: 'Old idea finished lately', state: 'completed', createdAt: daysAgo(200), doneAt: daysAgo(5) }),
    }));
    await e2e.idle();
    await e2e.restart();
    await e2e.idle();
    const { context } = e2e.cascade;
    const created = await createdSince({ verdicts: context.verdicts, completions: context.completions }, new Date(Date.now() - 12 * 7 * DAY));
    const ours = created.filter((c) => [open.id, done.id, ancient.id].includes(c.id));
    expect(ours.map((c) => [c.id, c.state, c.team]).sort()).toEqual([[open.id, 'open', 'ENG'], [done.id, 'done', 'WEB']].sort());
    expect(ours.find((c) => c.id === done.id)?.objectiveIds).toContain('onboarding');
    expect(new Set(created.map((c) => `${c.tracker}:${c.id}`)).size).toBe(created.length);
  });
});
