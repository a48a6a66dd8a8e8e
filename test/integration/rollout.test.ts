// Rolling out to an existing backlog: the dry run's report says what enforcing
// would write, team by team, and enforcing then writes exactly that; tickets
// created before enforce_from are counted and never written; first marks
// beyond rules.budget.writes_per_hour wait their turn and are written, once,
// as the budget frees.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Rollout {
  dryRun: boolean;
  wouldWrite: number;
  held: number;
  beforeEnforceFrom: number;
  acknowledged: number;
  exempted: number;
  byTeam: Array<{ tracker: string; team: string; wouldWrite: number; beforeEnforceFrom: number; held: number }>;
  examples: Array<{ key: string; writes: string[] }>;
}

async function rollout(e: E2E): Promise<Rollout> {
  const answer = await fetch(`${e.url}/admin/rollout`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as Rollout;
}

async function recheck(e: E2E): Promise<void> {
  const answer = await fetch(`${e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(answer.status).toBe(202);
  await e.idle();
}

async function putConfig(e: E2E, config: CascadeConfig): Promise<void> {
  const auth = { authorization: `Bearer ${e.adminToken}` };
  const etag = (await fetch(`${e.url}/admin/config`, { headers: auth })).headers.get('etag')!;
  const answer = await fetch(`${e.url}/admin/config`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', 'if-match': etag }, body: JSON.stringify(config) });
  expect(answer.status).toBe(200);
}

describe('rolling out to an existing backlog', () => {
  it('the dry run report matches what enforcing on one team then writes; older tickets are never written', async () => {
    const config = exampleConfig();
    config.rules!.dry_run = true;
    config.rules!.enforce_from = isoDay(Date.now() - 10 * DAY);
    e2e = await startE2E({ config });
    const { store } = e2e.linear;
    const eng = [1, 2, 3, 4, 5].map((n) => store.createIssue({ team: 'ENG', title: `Backlog chore ${n}`, createdAt: daysAgo(2) }));
    const web = [1, 2, 3].map((n) => store.createIssue({ team: 'WEB', title: `Web backlog item ${n}`, createdAt: daysAgo(2) }));
    const old = [1, 2].map((n) => store.createIssue({ team: 'ENG', title: `Old backlog item ${n}`, createdAt: daysAgo(30) }));
    store.createIssue({ team: 'ENG', title: 'SAML metadata upload', project: 'SSO', createdAt: daysAgo(2) });
    await e2e.idle();
    await recheck(e2e); // the whole backlog, as an admin starts a rollout

    const mine = [...eng, ...web, ...old];
    const marked = (): string[] => mine.filter((i) => store.labelNamesOf(i.id).includes('no-objective') || store.commentsOn(i.id).some((c) => c.userId === store.bot.id)).map((i) => i.id);
    expect(marked()).toEqual([]);
    const report = await rollout(e2e);
    expect(report).toMatchObject({ dryRun: true, held: 0, acknowledged: 0 });
    const byTeam = Object.fromEntries(report.byTeam.filter((t) => t.tracker === 'linear').map((t) => [t.team, t]));
    expect(byTeam.ENG!.wouldWrite).toBeGreaterThanOrEqual(5); // ours, and the demo workspace's own orphans
    expect(byTeam.ENG!.beforeEnforceFrom).toBeGreaterThanOrEqual(2);
    expect(byTeam.WEB!.wouldWrite).toBeGreaterThanOrEqual(3);
    expect(report.examples.length).toBeGreaterThan(0);
    expect(report.examples.map((x) => x.writes)).toContainEqual(['add label no-objective', 'create comment']);

    // Enforce on ENG only: exactly as many tickets get Cascade's first marks as the report said for ENG.
    const firstMarks = new Map<string, number>();
    store.onChange((change) => {
      if (change.actorId !== store.bot.id || change.type !== 'Comment' || change.action !== 'create') return;
      const issueId = (change.record as { issueId: string }).issueId;
      firstMarks.set(issueId, (firstMarks.get(issueId) ?? 0) + 1);
    });
    config.rules!.dry_run = false;
    config.rules!.scope = { linear: { teams: ['ENG'] } };
    await putConfig(e2e, config);
    await e2e.idle();
    expect(firstMarks.size).toBe(byTeam.ENG!.wouldWrite);
    expect([...firstMarks.values()].every((n) => n === 1)).toBe(true);
    expect(marked().sort()).toEqual(eng.map((i) => i.id).sort()); // never the older ones, never WEB
    const after = await rollout(e2e);
    expect(after).toMatchObject({ dryRun: false, wouldWrite: 0 });
    expect(after.byTeam.find((t) => t.tracker === 'linear' && t.team === 'ENG')?.beforeEnforceFrom).toBe(byTeam.ENG!.beforeEnforceFrom);
  });

  it('holds first marks beyond writes_per_hour and writes them, once each, as the hour frees up', async () => {
    let offset = 0;
    const config = exampleConfig();
    config.rules!.budget = { writes_per_hour: 3 };
    e2e = await startE2E({ config, now: () => new Date(Date.now() + offset) });
    const { store } = e2e.jira;
    const person = '712020:priya';
    const bot = '712020:cascade-bot';
    const issues = Array.from({ length: 8 }, (_, i) => store.createIssue({ project: 'OPS', type: 'Story', summary: `Backlog story ${i}`, createdAt: Date.now() - 2 * DAY, actor: person }));
    await e2e.idle();
    const written = (): number => issues.filter((i) => store.labels(i.key).includes('no-objective')).length;
    const twice = (): number => issues.filter((i) => store.comments(i.key).filter((c) => c.authorId === bot).length > 1).length;
    expect(written()).toBe(3);
    expect(await rollout(e2e)).toMatchObject({ held: 5, wouldWrite: 0 });

    const releaseTimers = async (): Promise<void> => {
      for (const job of await e2e!.cascade.queues.checks.jira.getJobs(['delayed'])) if (job.id?.startsWith('held-')) await job.promote();
      await e2e!.idle();
    };
    await releaseTimers(); // nothing is due yet: still three
    expect(written()).toBe(3);
    offset = 61 * 60_000;
    await releaseTimers();
    expect(written()).toBe(6);
    expect(await rollout(e2e)).toMatchObject({ held: 2 });
    offset = 122 * 60_000;
    await releaseTimers();
    expect(written()).toBe(8);
    expect(twice()).toBe(0);
    for (const issue of issues) expect(store.comments(issue.key).filter((c) => c.authorId === bot)).toHaveLength(1);
    expect(await rollout(e2e)).toMatchObject({ held: 0, wouldWrite: 0 });
  });
});
