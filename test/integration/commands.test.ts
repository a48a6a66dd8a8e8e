// `/cascade` commands written by people in comments, end to end on both
// trackers: the sandbox posts the comment webhook to the real receiver, the
// real workers record what was asked and run the one check of the ticket,
// which writes back through the real clients. What people see is asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { adfFromText } from '../../sandbox/jira/index.js';
import { ProposalStore } from '../../src/store/proposal-store.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import type { TrackerId } from '../../src/strategy/types.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
interface Ticket { id: string; key: string }
interface Said { id: string; text: string }

/** What a person does and sees on one tracker's sandbox. */
interface TrackerCase {
  tracker: TrackerId;
  person: string;
  orphan(e: E2E, title: string): Ticket;
  aligned(e: E2E, title: string): Ticket;
  /** A comment by a person (the default) or by Cascade's own account. */
  comment(e: E2E, t: Ticket, body: string, by?: 'person' | 'bot'): void;
  labels(e: E2E, t: Ticket): string[];
  /** Cascade's comments: by its account, and not a command someone typed with it. */
  cascadeComments(e: E2E, t: Ticket): Said[];
  /** A scope that leaves the tickets above out. */
  scopeWithout(config: CascadeConfig): void;
  /** A person deletes a comment. */
  deleteComment(e: E2E, t: Ticket, commentId: string): void;
  /** A person adds a label: a change that gets the ticket checked. */
  touch(e: E2E, t: Ticket): void;
}

const linear: TrackerCase = {
  tracker: 'linear',
  person: 'Dana Reyes',
  orphan(e, title) {
    const issue = e.linear.store.createIssue({ team: 'ENG', title, createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    return { id: issue.id, key: e.linear.store.identifierOf(issue) };
  },
  aligned(e, title) {
    const issue = e.linear.store.createIssue({ team: 'ENG', title, project: 'SSO', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    return { id: issue.id, key: e.linear.store.identifierOf(issue) };
  },
  comment(e, t, body, by = 'person') {
    const { store } = e.linear;
    store.createComment({ issue: t.id, body, userId: by === 'bot' ? store.bot.id : store.person.id });
  },
  labels: (e, t) => e.linear.store.labelNamesOf(t.id),
  cascadeComments(e, t) {
    const { store } = e.linear;
    return store.commentsOn(t.id).filter((c) => c.userId === store.bot.id && !c.body.startsWith('/cascade')).map((c) => ({ id: c.id, text: c.body.replace(/\\(.)/g, '$1') }));
  },
  scopeWithout(config) {
    config.rules = { ...config.rules, scope: { linear: { teams: ['WEB'] } } };
  },
  deleteComment: (e, _t, id) => e.linear.store.deleteComment(id),
  touch: (e, t) => void e.linear.store.setIssueLabels(t.id, [...e.linear.store.labelNamesOf(t.id), 'frontend']),
};

const JIRA_BOT = '712020:cascade-bot';
const jira: TrackerCase = {
  tracker: 'jira',
  person: 'Priya Raman',
  orphan(e, title) {
    const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary: title, createdAt: Date.now() - 2 * DAY, actor: '712020:priya' });
    return { id: issue.id, key: issue.key };
  },
  aligned(e, title) {
    const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary: title, parent: 'OPS-10', createdAt: Date.now() - 2 * DAY, actor: '712020:priya' });
    return { id: issue.id, key: issue.key };
  },
  comment(e, t, body, by = 'person') {
    e.jira.store.addComment(t.key, adfFromText(body), by === 'bot' ? JIRA_BOT : '712020:priya');
  },
  labels: (e, t) => e.jira.store.labels(t.key),
  cascadeComments(e, t) {
    return e.jira.store
      .comments(t.key)
      .filter((c) => c.authorId === JIRA_BOT)
      .map((c) => ({ id: c.id, text: adfToText(c.body) }))
      .filter((c) => !c.text.startsWith('/cascade'));
  },
  scopeWithout(config) {
    config.rules = { ...config.rules, scope: { jira: { projects: ['ENT'] } } };
  },
  deleteComment: (e, t, id) => e.jira.store.deleteComment(t.key, id, '712020:priya'),
  touch: (e, t) => void e.jira.store.updateIssue(t.key, { addLabels: ['frontend'] }, '712020:priya'),
};

/** A clock the test moves: Cascade reads it, BullMQ's delays do not (the test promotes the due job). */
function movableClock(): { now: () => Date; advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

describe.each([linear, jira])('commands in comments on $tracker', (tc) => {
  const verdictOf = async (e: E2E, t: Ticket): Promise<string | undefined> => (await e.cascade.verdicts.get(tc.tracker, t.id))?.verdict;

  it('exempts with a reason until a date: label removed, its one comment edited to confirm, and it lapses on that day', async () => {
    const clock = movableClock();
    e2e = await startE2E({ now: clock.now });
    const ticket = tc.orphan(e2e, 'Rotate the on-call pager schedule');
    await e2e.idle();
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    const [nudge, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(nudge?.text).toContain('/cascade exempt <reason>'); // the nudge says how

    const tomorrow = new Date(clock.now().getTime() + DAY).toISOString().slice(0, 10);
    tc.comment(e2e, ticket, `/cascade exempt support rotation until ${tomorrow}\nThis is ops work.`);
    await e2e.idle();
    expect(tc.labels(e2e, ticket)).not.toContain('no-objective');
    const confirmed = tc.cascadeComments(e2e, ticket);
    expect(confirmed.map((c) => c.id)).toEqual([nudge?.id]); // edited in place
    expect(confirmed[0]?.text).toContain('Exempt from objective checks');
    expect(confirmed[0]?.text).toContain('support rotation');
    expect(confirmed[0]?.text).toContain(tc.person);
    expect(confirmed[0]?.text).toContain(tomorrow);
    expect(await verdictOf(e2e, ticket)).toBe('exempt');

    // The check that lapses it waits for the start of that day.
    const queue = e2e.cascade.queues.checks[tc.tracker];
    const ends = (await queue.getJobs(['delayed'])).filter((j) => j.data.ticketId === ticket.id && j.data.reason === 'exemption-ends');
    expect(ends).toHaveLength(1);
    const due = ends[0]!.timestamp + (ends[0]!.opts.delay ?? 0);
    expect(Math.abs(due - Date.parse(`${tomorrow}T00:00:00Z`))).toBeLessThan(5_000);

    clock.advance(DAY);
    await ends[0]!.promote();
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    const after = tc.cascadeComments(e2e, ticket);
    expect(after.map((c) => c.id)).toEqual([nudge?.id]);
    expect(after[0]?.text).toContain('not linked to a company objective');
  });

  it('exempts an aligned ticket (posting its one comment), and /cascade unexempt ends it now', async () => {
    e2e = await startE2E();
    const ticket = tc.aligned(e2e, 'SAML login for the admin console');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('aligned');
    expect(tc.cascadeComments(e2e, ticket)).toEqual([]);

    tc.comment(e2e, ticket, '/cascade exempt vendor contract work');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('exempt');
    const [confirmation, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(confirmation?.text).toContain('vendor contract work');
    expect(confirmation?.text).toContain('/cascade unexempt');
    const explain = await fetch(`${e2e.url}/admin/explain/${tc.tracker}/${ticket.key}`, { headers: { authorization: `Bearer ${e2e.adminToken}` } });
    expect(await explain.json()).toMatchObject({ verdict: 'exempt', exemptBy: { kind: 'command', value: 'vendor contract work', by: tc.person } });

    tc.comment(e2e, ticket, '/cascade unexempt');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('aligned');
    const after = tc.cascadeComments(e2e, ticket);
    expect(after.map((c) => c.id)).toEqual([confirmation?.id]);
    expect(after[0]?.text).toContain('Exemption ended');
    expect(after[0]?.text).toContain(tc.person);
    expect(after[0]?.text).not.toContain('vendor contract work');
  });

  it('records a proposal and confirms it in its one comment', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Partner referral programme landing page');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade propose Grow partner-sourced revenue');
    await e2e.idle();
    const proposals = await new ProposalStore(e2e.cascade.redis, e2e.cascade.keys).list();
    expect(proposals).toEqual([expect.objectContaining({ title: 'Grow partner-sourced revenue', tracker: tc.tracker, ticketId: ticket.id, ticketKey: ticket.key, person: tc.person })]);
    const [comment, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(comment?.text).toContain('Proposal recorded');
    expect(comment?.text).toContain('Grow partner-sourced revenue');
    expect(comment?.text).toContain('not linked to a company objective'); // still an orphan: the nudge stays
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
  });

  it('answers an unknown command with the commands, and ignores a command from its own account', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Clean up the old feature flags');
    await e2e.idle();
    const [nudge] = tc.cascadeComments(e2e, ticket);

    tc.comment(e2e, ticket, '/cascade exempt written by the bot itself', 'bot');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    expect(tc.cascadeComments(e2e, ticket)).toEqual([nudge]); // not even edited

    tc.comment(e2e, ticket, '/cascade exmept flags');
    await e2e.idle();
    const [help, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(help?.id).toBe(nudge?.id);
    expect(help?.text).toContain('"exmept" is not a Cascade command');
    for (const command of ['/cascade exempt <reason>', '/cascade unexempt', '/cascade propose <objective title>']) expect(help?.text).toContain(command);
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
  });

  it('answers a past date with help and leaves the ticket as it was', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Archive last year’s reports');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade exempt archiving until 2020-01-31');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    const [comment, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(comment?.text).toContain('2020-01-31 is not in the future');
    expect(comment?.text).toContain('/cascade unexempt');
  });

  it('answers a command on a ticket outside rules.scope with the help text, and does not exempt it', async () => {
    const config = exampleConfig();
    tc.scopeWithout(config);
    e2e = await startE2E({ config });
    const ticket = tc.orphan(e2e, 'Tidy the runbook index');
    await e2e.idle();
    expect(tc.cascadeComments(e2e, ticket)).toEqual([]); // out of scope: left alone
    tc.comment(e2e, ticket, '/cascade exempt ops work');
    await e2e.idle();
    const [help, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(help?.text).toContain('outside the teams Cascade checks');
    expect(help?.text).toContain('/cascade propose <objective title>');
    expect((await e2e.cascade.verdicts.get(tc.tracker, ticket.id))?.verdict).toBe('exempt');
    expect(await e2e.cascade.context.exemptions.get(tc.tracker, ticket.id)).toBeNull();
  });

  it('answers a command once: a person who deletes the answer does not get it again', async () => {
    e2e = await startE2E();
    const ticket = tc.aligned(e2e, 'SAML metadata refresh');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade propose Halve enterprise onboarding time');
    await e2e.idle();
    const [answer, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(answer?.text).toContain('Proposal recorded');

    tc.deleteComment(e2e, ticket, answer!.id);
    tc.touch(e2e, ticket);
    await e2e.idle();
    expect(tc.cascadeComments(e2e, ticket)).toEqual([]);
    expect(await verdictOf(e2e, ticket)).toBe('aligned');
  });
});
