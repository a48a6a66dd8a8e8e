// Who may exempt, what people exempted, and in which order commands count,
// end to end on both trackers (PRODUCT.md "Governance"): the sandboxes post
// the comment webhooks to the real receiver, the real workers ask the tracker
// who may edit the ticket, record the exemption in order and run the ticket's
// one check; admins list and end exemptions through the real routes. What
// people and admins see is asserted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startE2E, type E2E } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { adfFromText } from '../../sandbox/jira/index.js';
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
interface Person { id: string; name: string }

/** What a person does and sees on one tracker's sandbox. */
interface TrackerCase {
  tracker: TrackerId;
  team: string;
  /** The person who comments by default: allowed to edit every ticket. */
  person(e: E2E): Person;
  /** Someone the tracker does not let edit the team's tickets (Linear: a guest outside the team; Jira: no Edit Issues). */
  outsider(e: E2E): Person;
  orphan(e: E2E, title: string): Ticket;
  /** A comment by `by` (default the person), written at `at` (default now). */
  comment(e: E2E, t: Ticket, body: string, options?: { by?: Person; at?: Date }): void;
  labels(e: E2E, t: Ticket): string[];
  cascadeComments(e: E2E, t: Ticket): Said[];
  /** The line the refusal gives as the rule. */
  refusal: string;
}

const linear: TrackerCase = {
  tracker: 'linear',
  team: 'ENG',
  person: (e) => ({ id: e.linear.store.person.id, name: e.linear.store.person.name }),
  outsider(e) {
    const guest = e.linear.store.createUser({ name: 'Gus Visitor', guest: true, teams: [] });
    return { id: guest.id, name: guest.name };
  },
  orphan(e, title) {
    const issue = e.linear.store.createIssue({ team: 'ENG', title, createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    return { id: issue.id, key: e.linear.store.identifierOf(issue) };
  },
  comment(e, t, body, options = {}) {
    const { store } = e.linear;
    store.createComment({ issue: t.id, body, userId: options.by?.id ?? store.person.id, ...(options.at ? { createdAt: options.at.toISOString() } : {}) });
  },
  labels: (e, t) => e.linear.store.labelNamesOf(t.id),
  cascadeComments(e, t) {
    const { store } = e.linear;
    return store.commentsOn(t.id).filter((c) => c.userId === store.bot.id).map((c) => ({ id: c.id, text: c.body.replace(/\\(.)/g, '$1') }));
  },
  refusal: 'only members of the team of',
};

const JIRA_BOT = '712020:cascade-bot';
const jira: TrackerCase = {
  tracker: 'jira',
  team: 'OPS',
  person: () => ({ id: '712020:priya', name: 'Priya Raman' }),
  outsider(e) {
    const viewer = e.jira.store.createUser({ displayName: 'Vic Viewer', email: 'vic@example.com', accountId: '712020:vic' });
    // The project's permission scheme grants Edit Issues to its members, not to everyone who can comment.
    e.jira.store.setEditors('OPS', [JIRA_BOT, '712020:priya', '712020:tomas']);
    return { id: viewer.accountId, name: viewer.displayName };
  },
  orphan(e, title) {
    const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary: title, createdAt: Date.now() - 2 * DAY, actor: '712020:priya' });
    return { id: issue.id, key: issue.key };
  },
  comment(e, t, body, options = {}) {
    e.jira.store.addComment(t.key, adfFromText(body), options.by?.id ?? '712020:priya', options.at);
  },
  labels: (e, t) => e.jira.store.labels(t.key),
  cascadeComments(e, t) {
    return e.jira.store.comments(t.key).filter((c) => c.authorId === JIRA_BOT).map((c) => ({ id: c.id, text: adfToText(c.body) }));
  },
  refusal: 'only people with the Edit Issues permission on',
};

/** A clock the test moves: Cascade reads it, BullMQ's delays do not (the test promotes the due job). */
function movableClock(): { now: () => Date; advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

async function admin(e: E2E, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${e.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function putConfig(e: E2E, config: CascadeConfig): Promise<void> {
  const etag = (await admin(e, 'GET', '/admin/config')).headers.get('etag')!;
  const res = await admin(e, 'PUT', '/admin/config', config, { 'if-match': etag });
  expect(res.status).toBe(200);
}

describe.each([linear, jira])('exemptions people set on $tracker', (tc) => {
  const verdictOf = async (e: E2E, t: Ticket): Promise<string | undefined> => (await e.cascade.verdicts.get(tc.tracker, t.id))?.verdict;
  const listed = async (e: E2E, query = ''): Promise<Array<Record<string, unknown>>> => {
    const res = await admin(e, 'GET', `/admin/exemptions${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { exemptions: Array<Record<string, unknown>> }).exemptions;
  };

  it('refuses an exemption from someone who may not edit the ticket: nothing changes, and its one comment says why', async () => {
    e2e = await startE2E();
    const outsider = tc.outsider(e2e);
    const ticket = tc.orphan(e2e, 'Rotate the on-call pager schedule');
    await e2e.idle();
    const [nudge] = tc.cascadeComments(e2e, ticket);
    expect(tc.labels(e2e, ticket)).toContain('no-objective');

    tc.comment(e2e, ticket, '/cascade exempt not strategy work', { by: outsider });
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    expect(await e2e.cascade.context.exemptions.get(tc.tracker, ticket.id)).toBeNull();
    const [answer, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(answer?.id).toBe(nudge?.id);
    expect(answer?.text).toContain(`${outsider.name}:`);
    expect(answer?.text).toContain(`${tc.refusal} ${ticket.key}`);
    expect(answer?.text).toContain('nothing changed');
    expect(await listed(e2e)).toEqual([]);
  });

  it('lists what people exempted with their account, and an admin ends it: label back, the comment names the admin', async () => {
    e2e = await startE2E();
    const person = tc.person(e2e);
    const ticket = tc.orphan(e2e, 'Renew the vendor contract');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade exempt vendor contract work');
    await e2e.idle();
    expect(tc.labels(e2e, ticket)).not.toContain('no-objective');

    const [exemption, ...others] = await listed(e2e);
    expect(others).toEqual([]);
    expect(exemption).toMatchObject({ tracker: tc.tracker, ticket: ticket.id, key: ticket.key, team: tc.team, reason: 'vendor contract work', person, source: 'command', suspended: false });
    // No date given: it ends after max_days (180 by default).
    const until = Date.parse(`${exemption!.until as string}T00:00:00Z`);
    expect(until - Date.parse(exemption!.at as string)).toBeGreaterThan(180 * DAY);
    expect(until - Date.parse(exemption!.at as string)).toBeLessThanOrEqual(181 * DAY);
    expect(await listed(e2e, `?team=${tc.team}`)).toHaveLength(1);
    expect(await listed(e2e, '?team=NOPE')).toEqual([]);

    const ended = await admin(e2e, 'DELETE', `/admin/exemptions/${tc.tracker}/${ticket.key}`);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ ended: { key: ticket.key, reason: 'vendor contract work' } });
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    const [comment, ...none] = tc.cascadeComments(e2e, ticket);
    expect(none).toEqual([]);
    expect(comment?.text).toContain('Exemption ended');
    expect(comment?.text).toContain('by an admin (e2e): Cascade checks this ticket again');
    expect(comment?.text).toContain('not linked to a company objective');
    expect(await listed(e2e)).toEqual([]);
    expect((await admin(e2e, 'DELETE', `/admin/exemptions/${tc.tracker}/${ticket.id}`)).status).toBe(404);
  });

  it('rules.commands: false suspends every exemption people set, and turning commands back on restores them', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Migrate the status page');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade exempt ops migration');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('exempt');

    const off = exampleConfig();
    off.rules = { ...off.rules, commands: false };
    await putConfig(e2e, off);
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    expect(await listed(e2e)).toEqual([expect.objectContaining({ key: ticket.key, suspended: true })]);

    await putConfig(e2e, exampleConfig());
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('exempt');
    expect(tc.labels(e2e, ticket)).not.toContain('no-objective');
    expect(await listed(e2e)).toEqual([expect.objectContaining({ key: ticket.key, suspended: false })]);
  });

  it('ends an exemption without a date after rules.exemptions.max_days, then checks the ticket again', async () => {
    const clock = movableClock();
    const config = exampleConfig();
    config.rules = { ...config.rules, exemptions: { max_days: 2 } };
    e2e = await startE2E({ config, now: clock.now });
    const ticket = tc.orphan(e2e, 'Archive last year’s reports');
    await e2e.idle();
    tc.comment(e2e, ticket, '/cascade exempt archiving');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('exempt');
    const [confirmation] = tc.cascadeComments(e2e, ticket);
    const lastDay = new Date(clock.now().getTime() + 3 * DAY).toISOString().slice(0, 10);
    expect(confirmation?.text).toContain(`until ${lastDay}`);

    const queue = e2e.cascade.queues.checks[tc.tracker];
    const ends = (await queue.getJobs(['delayed'])).filter((j) => j.data.ticketId === ticket.id && j.data.reason === 'exemption-ends');
    expect(ends).toHaveLength(1);
    expect(Math.abs(ends[0]!.timestamp + (ends[0]!.opts.delay ?? 0) - Date.parse(`${lastDay}T00:00:00Z`))).toBeLessThan(5_000);

    clock.advance(3 * DAY);
    await ends[0]!.promote();
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    expect(await e2e.cascade.context.exemptions.get(tc.tracker, ticket.id)).toBeNull();
  });

  it('applies commands in the order they were written: an exempt written before an unexempt, processed after it, changes nothing', async () => {
    e2e = await startE2E();
    const ticket = tc.orphan(e2e, 'Clean up the old feature flags');
    await e2e.idle();
    const written = Date.now();
    tc.comment(e2e, ticket, '/cascade unexempt', { at: new Date(written) });
    await e2e.idle();
    // The exempt was written a minute earlier; its delivery comes late (a retry, or another worker's slower turn).
    tc.comment(e2e, ticket, '/cascade exempt flags', { at: new Date(written - 60_000) });
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('orphan');
    expect(tc.labels(e2e, ticket)).toContain('no-objective');
    expect(await e2e.cascade.context.exemptions.get(tc.tracker, ticket.id)).toBeNull();

    // A newer command still counts.
    tc.comment(e2e, ticket, '/cascade exempt flags cleanup');
    await e2e.idle();
    expect(await verdictOf(e2e, ticket)).toBe('exempt');
  });

  it('shows in the digest, per team, how many tickets people exempted this week and why', async () => {
    e2e = await startE2E();
    const tickets = [tc.orphan(e2e, 'Pager rota'), tc.orphan(e2e, 'Holiday rota'), tc.orphan(e2e, 'Vendor renewal')];
    await e2e.idle();
    tc.comment(e2e, tickets[0]!, '/cascade exempt support rotation');
    tc.comment(e2e, tickets[1]!, '/cascade exempt Support rotation');
    tc.comment(e2e, tickets[2]!, '/cascade exempt vendor work');
    await e2e.idle();

    const get = (path: string): Promise<Response> => admin(e2e!, 'GET', path);
    // The page answers the stored digest; the workers compute it when asked (the first view asks).
    const digest = await vi.waitFor(async () => {
      const res = await get('/digest.json');
      expect(res.status).toBe(200);
      return (await res.json()) as { exemptedByPeople: unknown };
    }, { timeout: 15_000, interval: 100 });
    expect(digest.exemptedByPeople).toEqual({
      total: 3,
      teams: [{ tracker: tc.tracker, team: tc.team, count: 3, reasons: [{ reason: 'Support rotation', count: 2 }, { reason: 'vendor work', count: 1 }] }],
    });
    const page = await (await get('/digest')).text();
    expect(page).toContain('3 tickets exempted by people this week');
    expect(page).toContain(`${tc.team}: 3 exempted (Support rotation ×2, vendor work)`);
  });
});
