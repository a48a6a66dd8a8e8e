// One Cascade comment per ticket under any concurrency: create and update
// webhooks, a nightly sweep, two admin re-checks and a second worker process
// all reach the same fresh orphans at once. Every write goes through the one
// de-duplicated check per ticket, so each orphan gets exactly one comment and
// one label add, counted from the sandboxes' own change streams.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const ORPHANS = 20;
/** Webhook checks wait this long, so the sweeps and re-checks (a second or two to start) land on the same tickets at the same time. */
const QUIET_MS = '2500';
/** Two Cascades and two sandboxes on a busy 2-core machine: generous. */
const TIMEOUT_MS = 90_000;

/** Everything at once: a nightly sweep, two admin re-checks (the route itself), and the caller's webhooks. */
async function raceEverything(e: E2E, personEdits: () => void): Promise<void> {
  // The create webhooks are in: their checks wait out the quiet period while the rest arrives.
  await Promise.all([e.linear.flushWebhooks(), e.jira.flushWebhooks()]);
  const recheck = (): Promise<Response> =>
    fetch(`${e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  const answers = await Promise.all([recheck(), e.cascade.queues.sweeps.add('start-sweep', { start: 'nightly' }), recheck(), Promise.resolve(personEdits())]);
  expect((answers[0] as Response).status).toBe(202);
  expect((answers[2] as Response).status).toBe(202);
}

describe('one comment under concurrency', () => {
  it('Linear: webhooks, a sweep, two re-checks and two worker processes give each orphan one comment and one label add', async () => {
    e2e = await startE2E({ latencyMs: 40, env: { CASCADE_QUIET_MS: QUIET_MS } });
    await e2e.addWorkers();
    const { store } = e2e.linear;
    const label = store.labelNamed('no-objective');
    const comments = new Map<string, number>();
    const labelAdds = new Map<string, number>();
    store.onChange((change) => {
      if (change.actorId !== store.bot.id) return;
      const id = 'issueId' in change.record ? String(change.record.issueId) : change.record.id;
      if (change.type === 'Comment' && change.action === 'create') comments.set(id, (comments.get(id) ?? 0) + 1);
      const before = change.updatedFrom?.labelIds as string[] | undefined;
      if (change.type === 'Issue' && before && !before.includes(label.id) && (change.record as { labelIds: string[] }).labelIds.includes(label.id)) {
        labelAdds.set(id, (labelAdds.get(id) ?? 0) + 1);
      }
    });
    const issues = Array.from({ length: ORPHANS }, (_, i) => store.createIssue({ team: 'ENG', title: `Unplanned chore number ${i}`, createdAt: new Date(Date.now() - 2 * DAY).toISOString() }));
    await raceEverything(e2e, () => issues.forEach((issue, i) => store.updateIssue(issue.id, { title: `Unplanned chore number ${i}, reworded` })));
    await e2e.idle();

    for (const issue of issues) {
      expect(store.commentsOn(issue.id).filter((c) => c.userId === store.bot.id)).toHaveLength(1);
      expect(comments.get(issue.id)).toBe(1);
      expect(labelAdds.get(issue.id)).toBe(1);
      expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    }
  }, TIMEOUT_MS);

  it('Jira: webhooks, a sweep, two re-checks and two worker processes give each orphan one comment and one label add', async () => {
    e2e = await startE2E({ latencyMs: 40, env: { CASCADE_QUIET_MS: QUIET_MS } });
    await e2e.addWorkers();
    const { store } = e2e.jira;
    const bot = '712020:cascade-bot';
    const person = '712020:priya';
    const comments = new Map<string, number>();
    const labelAdds = new Map<string, number>();
    store.onChange((change) => {
      if (change.actorId !== bot) return;
      const key = change.issue.key;
      if (change.kind === 'comment_created') comments.set(key, (comments.get(key) ?? 0) + 1);
      if (change.kind === 'issue_updated') {
        for (const item of change.items) {
          const had = (item.fromString ?? '').split(' ').includes('no-objective');
          const has = (item.toString ?? '').split(' ').includes('no-objective');
          if (item.field === 'labels' && has && !had) labelAdds.set(key, (labelAdds.get(key) ?? 0) + 1);
        }
      }
    });
    const issues = Array.from({ length: ORPHANS }, (_, i) => store.createIssue({ project: 'OPS', type: 'Story', summary: `Unplanned chore number ${i}`, createdAt: Date.now() - 2 * DAY, actor: person }));
    await raceEverything(e2e, () => issues.forEach((issue, i) => store.updateIssue(issue.key, { summary: `Unplanned chore number ${i}, reworded` }, person)));
    await e2e.idle();

    for (const issue of issues) {
      const own = store.comments(issue.key).filter((c) => c.authorId === bot);
      expect(own).toHaveLength(1);
      expect(adfToText(own[0]!.body)).toContain('not linked to a company objective');
      expect(comments.get(issue.key)).toBe(1);
      expect(labelAdds.get(issue.key)).toBe(1);
    }
  }, TIMEOUT_MS);
});
