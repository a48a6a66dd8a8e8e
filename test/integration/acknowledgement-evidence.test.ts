// A missing mark is a person's choice only on evidence: the webhook's actor, or
// the ticket's history. A second Cascade on the same account (staging beside
// production) removing the mark is no person: the mark goes back once, with a
// log line that says why, and when it goes again Cascade does not fight.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startE2E, type E2E } from '../support/e2e.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { JiraTracker } from '../../src/trackers/jira/index.js';
import { DEMO_JIRA_BOT } from '../../sandbox/jira/index.js';
import type { Tracker } from '../../src/trackers/tracker.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Cascade's log lines, as an operator reads them. */
function capturedLog(): { logger: pino.Logger; lines: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines: () => [...lines] };
}

async function recheckAll(e: E2E): Promise<void> {
  const answer = await fetch(`${e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(answer.status).toBe(202);
  await e.idle();
}

/** Another deployment of Cascade (staging, say) on the same account takes the label off. */
async function removeAsOtherDeployment(other: Tracker, ref: string): Promise<void> {
  const state = await other.fetchTicket(ref);
  expect(await other.ensureLabel(state!.ticket, 'no-objective', false)).toBe(true);
}

describe('acknowledgements need evidence', () => {
  it("Linear: a label Cascade's own account removes goes back once, with the reason logged; a person's removal seen only in the history is respected", async () => {
    const log = capturedLog();
    e2e = await startE2E({ logger: log.logger });
    const { store } = e2e.linear;
    const own = (id: string) => store.commentsOn(id).filter((c) => c.userId === store.bot.id);
    const staging = new LinearTracker({ apiKey: e2e.linear.apiKey, apiUrl: e2e.linear.apiUrl });
    const issue = store.createIssue({ team: 'ENG', title: 'Tidy the logging configuration', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');

    await removeAsOtherDeployment(staging, issue.id);
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective'); // put back
    expect(log.lines().filter((l) => l.includes("Cascade's own account") && l.includes('puts it back once'))).toHaveLength(1);
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.acknowledged).toBeUndefined();

    await removeAsOtherDeployment(staging, issue.id); // and again: Cascade does not fight
    await e2e.idle();
    await recheckAll(e2e);
    expect(store.labelNamesOf(issue.id)).not.toContain('no-objective');
    expect(own(issue.id)).toHaveLength(1);
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.acknowledged).toMatchObject({ what: 'label', by: null, evidence: 'none' });
    expect(log.lines().filter((l) => l.includes('went missing again'))).toHaveLength(1);

    // A person's removal whose webhook never arrived: the history names them.
    const other = store.createIssue({ team: 'ENG', title: 'Rotate the build cache', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await e2e.idle();
    store.withoutWebhooks(() => store.setIssueLabels(other.id, []));
    await recheckAll(e2e);
    expect(store.labelNamesOf(other.id)).toEqual([]);
    expect((await e2e.cascade.verdicts.get('linear', other.id))?.acknowledged).toMatchObject({ by: store.person.id, byName: store.person.name, evidence: 'history' });
  });

  it('Jira: the same, with the changelog as the history', async () => {
    const log = capturedLog();
    e2e = await startE2E({ logger: log.logger });
    const { store } = e2e.jira;
    const person = '712020:priya';
    const staging = new JiraTracker({ host: e2e.jira.baseUrl, auth: { email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken } });
    const story = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Rotate the staging certificates', createdAt: Date.now() - 2 * DAY, actor: person });
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');

    await removeAsOtherDeployment(staging, story.key);
    await e2e.idle();
    expect(store.labels(story.key)).toContain('no-objective');
    expect(log.lines().filter((l) => l.includes("Cascade's own account") && l.includes('puts it back once'))).toHaveLength(1);

    await removeAsOtherDeployment(staging, story.key);
    await e2e.idle();
    expect(store.labels(story.key)).not.toContain('no-objective');
    expect((await e2e.cascade.verdicts.get('jira', story.id))?.acknowledged).toMatchObject({ by: null, evidence: 'none' });

    // A person's removal, named by the webhook: respected at once, no history read.
    const named = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Renew the wildcard certificate', createdAt: Date.now() - 2 * DAY, actor: person });
    await e2e.idle();
    store.updateIssue(named.key, { removeLabels: ['no-objective'] }, person);
    await e2e.idle();
    expect(store.labels(named.key)).toEqual([]);
    expect((await e2e.cascade.verdicts.get('jira', named.id))?.acknowledged).toMatchObject({ by: person, evidence: 'webhook' });

    // Only in the changelog: the webhook was lost.
    const quiet = store.createIssue({ project: 'OPS', type: 'Story', summary: 'Archive the old runbooks', createdAt: Date.now() - 2 * DAY, actor: person });
    await e2e.idle();
    store.withoutWebhooks(() => store.updateIssue(quiet.key, { removeLabels: ['no-objective'] }, person));
    await recheckAll(e2e);
    expect(store.labels(quiet.key)).toEqual([]);
    expect((await e2e.cascade.verdicts.get('jira', quiet.id))?.acknowledged).toMatchObject({ by: person, evidence: 'history' });
  });

  it("a webhook's note of a person's removal counts for 24 hours, then says nothing", async () => {
    let ahead = 0;
    e2e = await startE2E({ now: () => new Date(Date.now() + ahead) });
    const { store } = e2e.linear;
    const staging = new LinearTracker({ apiKey: e2e.linear.apiKey, apiUrl: e2e.linear.apiUrl });
    const issue = store.createIssue({ team: 'ENG', title: 'Prune the feature flags', labels: ['triaged'], createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective');
    store.setIssueLabels(issue.id, ['no-objective']); // a person takes another label off: noted, Cascade's mark is still there
    await e2e.idle();
    const noted = () => e2e!.cascade.redis.hexists(e2e!.cascade.keys.removals, `linear:${issue.id}`);
    expect(await noted()).toBe(1);

    ahead = 25 * HOUR;
    await removeAsOtherDeployment(staging, issue.id);
    await e2e.idle();
    expect(store.labelNamesOf(issue.id)).toContain('no-objective'); // the day-old note is no evidence: put back
    expect((await e2e.cascade.verdicts.get('linear', issue.id))?.acknowledged).toBeUndefined();
    expect(await noted()).toBe(0); // and it is dropped
  });
});
