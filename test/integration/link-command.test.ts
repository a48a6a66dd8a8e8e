// `/cascade link` end to end on both trackers: the orphan comment numbers its
// suggestions, a person takes one (or names a project or epic), and the
// ticket's one check moves it through the real clients; the sandbox sends the
// change back as a webhook. What people see is asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { adfFromText } from '../../sandbox/jira/index.js';
import type { TrackerId } from '../../src/strategy/types.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
interface Ticket { id: string; key: string }
interface Person { id: string; name: string }

interface TrackerCase {
  tracker: TrackerId;
  person: string;
  /** An orphan whose text points at the audit log (Linear: project "Audit log"; Jira: under ENT-1's first epic). */
  orphan(e: E2E, title: string): Ticket;
  comment(e: E2E, t: Ticket, body: string, by?: Person): void;
  labels(e: E2E, t: Ticket): string[];
  cascadeComments(e: E2E, t: Ticket): string[];
  /** Where the ticket sits now: the Linear project's name, or the Jira parent's key. */
  where(e: E2E, t: Ticket): string | null;
  /** A person puts it back where it was (nowhere). */
  moveBack(e: E2E, t: Ticket): void;
  outsider(e: E2E): Person;
  /** What `/cascade link <name>` names, and where it lands. */
  named: { name: string; lands: string };
  /** A title whose first suggestion is a project or an epic. */
  title: string;
  /** A name close to real ones but matching none, and one of the names Cascade should offer. */
  unknown: { name: string; offers: string };
}

const linear: TrackerCase = {
  tracker: 'linear',
  person: 'Dana Reyes',
  orphan(e, title) {
    const issue = e.linear.store.createIssue({ team: 'ENG', title, createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    return { id: issue.id, key: e.linear.store.identifierOf(issue) };
  },
  comment(e, t, body, by) {
    e.linear.store.createComment({ issue: t.id, body, userId: by?.id ?? e.linear.store.person.id });
  },
  labels: (e, t) => e.linear.store.labelNamesOf(t.id),
  cascadeComments(e, t) {
    const { store } = e.linear;
    return store.commentsOn(t.id).filter((c) => c.userId === store.bot.id).map((c) => c.body.replace(/\\(.)/g, '$1'));
  },
  where(e, t) {
    const issue = e.linear.store.findIssue(t.id)!;
    return issue.projectId === null ? null : (e.linear.store.projects.get(issue.projectId)?.name ?? null);
  },
  moveBack: (e, t) => void e.linear.store.updateIssue(t.id, { projectId: null }),
  outsider(e) {
    const guest = e.linear.store.createUser({ name: 'Gus Visitor', guest: true, teams: [] });
    return { id: guest.id, name: guest.name };
  },
  named: { name: 'Performance sprint', lands: 'Performance sprint' },
  title: 'Audit log entries for every admin action, exportable for auditors',
  unknown: { name: 'Performance sprnt x', offers: 'Performance sprint' },
};

const JIRA_BOT = '712020:cascade-bot';
const jira: TrackerCase = {
  tracker: 'jira',
  person: 'Priya Raman',
  orphan(e, title) {
    const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary: title, createdAt: Date.now() - 2 * DAY, actor: '712020:priya' });
    return { id: issue.id, key: issue.key };
  },
  comment(e, t, body, by) {
    e.jira.store.addComment(t.key, adfFromText(body), by?.id ?? '712020:priya');
  },
  labels: (e, t) => e.jira.store.labels(t.key),
  cascadeComments(e, t) {
    return e.jira.store.comments(t.key).filter((c) => c.authorId === JIRA_BOT).map((c) => adfToText(c.body));
  },
  where(e, t) {
    const issue = e.jira.store.requireIssue(t.key);
    return e.jira.store.parentOf(issue)?.key ?? null;
  },
  moveBack: (e, t) => void e.jira.store.updateIssue(t.key, { parent: null }, '712020:priya'),
  outsider(e) {
    const viewer = e.jira.store.createUser({ displayName: 'Vic Viewer', email: 'vic@example.com', accountId: '712020:vic' });
    e.jira.store.setEditors('OPS', [JIRA_BOT, '712020:priya', '712020:tomas']);
    return { id: viewer.accountId, name: viewer.displayName };
  },
  named: { name: 'Performance', lands: 'OPS-10' },
  title: 'SAML single sign-on with Okta for enterprise tenants',
  unknown: { name: 'Perfomance tuning', offers: 'OPS-10 Performance' },
};

async function explain(e: E2E, tracker: TrackerId, key: string): Promise<{ verdict: string }> {
  const res = await fetch(`${e.url}/admin/explain/${tracker}/${key}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  return (await res.json()) as { verdict: string };
}

describe.each([linear, jira])('/cascade link on $tracker', (tc) => {
  it('numbers the suggestions; /cascade link 1 moves the ticket there, the label goes, the comment names the person; a person moving it back is respected', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, tc.title);
    await e2e.idle();
    const [nudge] = tc.cascadeComments(e2e, ticket);
    expect(nudge).toContain('/cascade link 1');
    expect(nudge).toMatch(/\(1\) /);
    expect(tc.labels(e2e, ticket)).toContain('no-objective');

    const started = Date.now();
    tc.comment(e2e, ticket, '/cascade link 1');
    await e2e.idle();
    expect(Date.now() - started).toBeLessThan(10_000);
    const landed = tc.where(e2e, ticket);
    expect(landed).not.toBeNull();
    expect(nudge).toContain(landed!); // the place the comment offered as 1
    expect(tc.labels(e2e, ticket)).not.toContain('no-objective');
    const after = tc.cascadeComments(e2e, ticket);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain(`Linked by Cascade at ${tc.person}'s request`);
    expect(await explain(e2e, tc.tracker, ticket.key)).toMatchObject({ verdict: 'aligned' });

    // A person takes it out again: Cascade does not move it back, and says it is an orphan again.
    tc.moveBack(e2e, ticket);
    await e2e.idle();
    expect(tc.where(e2e, ticket)).toBeNull();
    expect(await explain(e2e, tc.tracker, ticket.key)).toMatchObject({ verdict: 'orphan' });
    const later = tc.cascadeComments(e2e, ticket);
    expect(later).toHaveLength(1);
    expect(later[0]).toContain('not linked to a company objective');
    expect(later[0]).toContain('Cascade leaves it as people put it');
  });

  it('/cascade link <name> moves it to a named project or epic under an objective', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Rotate the on-call pager schedule');
    await e2e.idle();
    tc.comment(e2e, ticket, `/cascade link ${tc.named.name}`);
    await e2e.idle();
    expect(tc.where(e2e, ticket)).toBe(tc.named.lands);
    expect(tc.labels(e2e, ticket)).not.toContain('no-objective');
    expect(tc.cascadeComments(e2e, ticket)[0]).toContain(`Linked by Cascade at ${tc.person}'s request`);
    expect(await explain(e2e, tc.tracker, ticket.key)).toMatchObject({ verdict: 'aligned' });
  });

  it('answers a person who may not edit the ticket, and an unknown name with the closest names; nothing moves', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Audit log entries for every admin action, exportable for auditors');
    await e2e.idle();
    const outsider = tc.outsider(e2e);
    tc.comment(e2e, ticket, '/cascade link 1', outsider);
    await e2e.idle();
    expect(tc.where(e2e, ticket)).toBeNull();
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    let [said] = tc.cascadeComments(e2e, ticket);
    expect(said).toContain(`${outsider.name}:`);
    expect(said).toContain('may move or link it');

    tc.comment(e2e, ticket, `/cascade link ${tc.unknown.name}`);
    await e2e.idle();
    expect(tc.where(e2e, ticket)).toBeNull();
    [said] = tc.cascadeComments(e2e, ticket);
    expect(said).toContain('nothing moved');
    expect(said).toContain(tc.unknown.offers);

    // A number the comment did not offer: said so, nothing moves.
    tc.comment(e2e, ticket, '/cascade link 7');
    await e2e.idle();
    [said] = tc.cascadeComments(e2e, ticket);
    expect(said).toMatch(/offers suggestions? 1.*there is no suggestion 7/);
    expect(tc.where(e2e, ticket)).toBeNull();
    expect(await explain(e2e, tc.tracker, ticket.key)).toMatchObject({ verdict: 'orphan' });
  });
});

describe('/cascade link in a restricted Jira comment', () => {
  it('links as asked, and a name that matches nothing is not repeated in public', async () => {
    e2e = await startE2E();
    const { store } = e2e.jira;
    const story = jira.orphan(e2e, 'Rotate the staging certificates');
    await e2e.idle();
    const role = { type: 'role' as const, value: 'Administrators' };
    store.addComment(story.key, adfFromText('/cascade link Codename Bluebird'), '712020:priya', undefined, undefined, role);
    await e2e.idle();
    let [said] = jira.cascadeComments(e2e, story);
    expect(said).toContain('restricted comment');
    expect(said).not.toContain('Bluebird');
    expect(jira.where(e2e, story)).toBeNull();

    store.addComment(story.key, adfFromText('/cascade link Performance'), '712020:priya', undefined, undefined, role);
    await e2e.idle();
    expect(jira.where(e2e, story)).toBe('OPS-10');
    [said] = jira.cascadeComments(e2e, story);
    expect(said).toContain("Linked by Cascade at Priya Raman's request");
  });
});
