// The Jira adapter with the real jira.js client against the Jira sandbox:
// ancestry and its cache, idempotent writes, paging, fan-out, errors, webhooks.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommentDoc } from '../../src/reconcile/comment-doc.js';
import { markerFor } from '../../src/reconcile/comment-doc.js';
import { JiraTracker } from '../../src/trackers/jira/jira-tracker.js';
import { renderAdf } from '../../src/trackers/jira/render-adf.js';
import { PermanentTrackerError, RateLimitedError } from '../../src/trackers/tracker.js';
import { buildSignedJiraDelivery } from '../../sandbox/jira/webhooks.js';
import { ESTIMATE_FIELD } from '../../sandbox/jira/issue-view.js';
import { seedDemoJira, DEMO_JIRA_BOT } from '../../sandbox/jira/seed-demo.js';
import { startJiraSandbox } from '../../sandbox/jira/server.js';
import { HARNESS_BOT, startJiraHarness, type JiraHarness } from '../support/jira-harness.js';

function doc(fingerprint: string, text: string): CommentDoc {
  return {
    fingerprint,
    blocks: [
      { kind: 'paragraph', content: [{ text: 'This ticket has ' }, { text: 'no objective', bold: true }, { text: '.' }] },
      { kind: 'list', items: [[{ text: text }], [{ text: 'SSO', code: true }, { text: ' ' }, { text: 'docs', href: 'https://example.com/docs' }]] },
    ],
  };
}

/** Requests the harness's sandbox answers while `run` executes. */
async function counted<T>(h: JiraHarness, run: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = h.requestCount();
  const value = await run();
  return { value, requests: h.requestCount() - before };
}

async function raw(h: JiraHarness, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const auth = Buffer.from(`${HARNESS_BOT.email}:${HARNESS_BOT.apiToken}`).toString('base64');
  const res = await fetch(`${h.sandbox.baseUrl}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describe('JiraTracker against the Jira sandbox', () => {
  let h: JiraHarness;
  beforeEach(async () => {
    h = await startJiraHarness({ tracker: { estimateField: ESTIMATE_FIELD } });
  });
  afterEach(async () => {
    await h.close();
  });

  function hierarchy(): { initiative: string; epic: string; story: string; subtask: string } {
    const s = h.store;
    const initiative = s.createIssue({ project: 'CAS', type: 'Initiative', summary: 'Security & compliance', labels: ['enterprise'] }).key;
    const epic = s.createIssue({ project: 'CAS', type: 'Epic', summary: 'SAML SSO', parent: initiative, labels: ['sso'] }).key;
    const story = s.createIssue({ project: 'CAS', type: 'Story', summary: 'Okta login', parent: epic, estimate: 5 }).key;
    const subtask = s.createIssue({
      project: 'CAS',
      type: 'Sub-task',
      summary: 'Validate assertion signatures',
      parent: story,
      description: 'Reject **unsigned** assertions.\n\nSee the spec.',
      estimate: 2,
    }).key;
    return { initiative, epic, story, subtask };
  }

  it('climbs sub-task → story → epic → initiative, then answers warm checks with one request', async () => {
    const keys = hierarchy();
    const cold = await counted(h, () => h.tracker.fetchTicket(keys.subtask));
    // myself + GET issue, then one `key in (…)` search per missing level.
    expect(cold.requests).toBe(5);
    const state = cold.value;
    expect(state?.ticket).toMatchObject({
      tracker: 'jira',
      key: keys.subtask,
      title: 'Validate assertion signatures',
      issueType: 'Sub-task',
      state: 'open',
      stateName: 'To Do',
      team: 'CAS',
      estimate: 2,
      url: `${h.sandbox.baseUrl}/browse/${keys.subtask}`,
    });
    expect(state?.ticket.description).toContain('Reject **unsigned** assertions.');
    expect(state?.ticket.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(state?.ticket.parents.map((p) => [p.key, p.issueType, p.labels])).toEqual([
      [keys.story, 'Story', []],
      [keys.epic, 'Epic', ['sso']],
      [keys.initiative, 'Initiative', ['enterprise']],
    ]);
    expect(state?.botComment).toBeNull();

    const warm = await counted(h, () => h.tracker.fetchTicket(keys.subtask));
    expect(warm.requests).toBe(1);
    expect(warm.value?.ticket.parents).toHaveLength(3);

    h.store.updateIssue(keys.epic, { addLabels: ['security'] }, h.person.accountId);
    h.tracker.invalidate({ kind: 'ticket', id: h.store.requireIssue(keys.epic).id });
    const after = await counted(h, () => h.tracker.fetchTicket(keys.subtask));
    expect(after.requests).toBe(2);
    expect(after.value?.ticket.parents[1]?.labels).toEqual(['sso', 'security']);
  });

  it('reads the missing parents of a sibling in one batched level', async () => {
    const keys = hierarchy();
    await h.tracker.fetchTicket(keys.subtask);
    const sibling = h.store.createIssue({ project: 'CAS', type: 'Story', summary: 'Azure AD login', parent: keys.epic }).key;
    const { requests, value } = await counted(h, () => h.tracker.fetchTicket(sibling));
    expect(requests).toBe(1);
    expect(value?.ticket.parents.map((p) => p.key)).toEqual([keys.epic, keys.initiative]);
  });

  it('answers null for a missing issue and stops at a parent loop', async () => {
    expect(await h.tracker.fetchTicket('CAS-999')).toBeNull();
    const keys = hierarchy();
    // Jira forbids this; hostile or corrupt data must still end the walk.
    h.store.requireIssue(keys.initiative).parentId = h.store.requireIssue(keys.story).id;
    const state = await h.tracker.fetchTicket(keys.subtask);
    expect(state?.ticket.parents.map((p) => p.key)).toEqual([keys.story, keys.epic, keys.initiative]);
  });

  it('adds and removes a label with update operations, once, keeping labels people add meanwhile', async () => {
    const key = await h.createTicket({ title: 'Dark mode', labels: ['ui'] });
    const before = await h.tracker.fetchTicket(key);
    const snapshot = before?.ticket;
    if (!snapshot) throw new Error('ticket not found');

    const add = await counted(h, () => h.tracker.ensureLabel(snapshot, 'no-objective', true));
    expect(add).toEqual({ value: true, requests: 1 });
    expect(h.sandbox.requests().at(-1)).toMatchObject({ method: 'PUT', url: `/rest/api/3/issue/${key}` });

    await h.setLabelsAsPerson(key, [...(await h.labelsOf(key)), 'customer-ask']);
    const fresh = (await h.tracker.fetchTicket(key))?.ticket;
    if (!fresh) throw new Error('ticket not found');
    expect(await counted(h, () => h.tracker.ensureLabel(fresh, 'no-objective', true))).toEqual({ value: false, requests: 0 });
    expect(await h.tracker.ensureLabel(fresh, 'no-objective', false)).toBe(true);
    expect(await h.labelsOf(key)).toEqual(['ui', 'customer-ask']);

    // The stale snapshot still shows the label: the removal is an idempotent `remove` op.
    expect(await h.tracker.ensureLabel(snapshot, 'stale-objective', false)).toBe(false);
    await expect(h.tracker.ensureLabel(fresh, 'no objective', true)).rejects.toBeInstanceOf(PermanentTrackerError);
  });

  it('creates, keeps, edits and deletes its one ADF comment', async () => {
    const key = await h.createTicket({ title: 'CSV export of members' });
    h.store.addComment(key, 'A person wrote this through API v2.', h.person.accountId);

    let state = await h.tracker.fetchTicket(key);
    if (!state) throw new Error('ticket not found');
    expect(await h.tracker.ensureComment(state, doc('abc123', 'Link it to an epic'))).toBe('created');
    const stored = h.store.comments(key).at(-1);
    expect(stored?.authorId).toBe(h.bot.accountId);
    expect(stored?.body).toMatchObject({ type: 'doc', version: 1 });
    // The fingerprint rides in a comment property set with the comment, never in the text people read.
    expect(JSON.stringify(stored?.body)).not.toMatch(/cascade:|abc123/);
    expect(stored?.properties).toEqual({ cascade: { fingerprint: 'abc123' } });

    state = await h.tracker.fetchTicket(key);
    if (!state) throw new Error('ticket not found');
    expect(state.botComment?.id).toBe(stored?.id);
    expect(await counted(h, () => h.tracker.ensureComment(state as NonNullable<typeof state>, doc('abc123', 'Link it to an epic')))).toEqual({
      value: 'unchanged',
      requests: 0,
    });

    expect(await h.tracker.ensureComment(state, doc('def456', 'Now aligned'))).toBe('updated');
    const comments = await h.commentsOf(key);
    expect(comments).toHaveLength(2);
    expect(comments[1]).toMatchObject({ id: stored?.id, authorId: h.bot.accountId });
    expect(comments[1]?.text).not.toMatch(/cascade:|def456/);
    expect(comments[1]?.text).toContain('Now aligned');
    expect(h.store.comments(key)[1]?.properties).toEqual({ cascade: { fingerprint: 'def456' } });

    state = await h.tracker.fetchTicket(key);
    if (!state) throw new Error('ticket not found');
    expect(await h.tracker.ensureComment(state, null)).toBe('deleted');
    expect((await h.commentsOf(key)).map((c) => c.authorId)).toEqual([h.person.accountId]);
    state = await h.tracker.fetchTicket(key);
    if (!state) throw new Error('ticket not found');
    expect(await h.tracker.ensureComment(state, null)).toBe('unchanged');
  });

  it("finds its comment in a string body, and never takes a person's comment quoting the marker", async () => {
    const key = await h.createTicket({ title: 'Imported ticket' });
    h.store.addComment(key, `Quoting the bot: ${markerFor('aaa111')}`, h.person.accountId);
    h.store.addComment(key, `Old comment from v2.\n${markerFor('bbb222')}`, h.bot.accountId);
    const state = await h.tracker.fetchTicket(key);
    expect(state?.botComment).toMatchObject({ id: h.store.comments(key)[1]?.id });
    expect(state?.botComment?.body).toContain(markerFor('bbb222'));
  });

  it('finds its comment behind the 20 comments a search returns', async () => {
    const key = await h.createTicket({ title: 'Busy ticket' });
    for (let i = 0; i < 24; i++) h.store.addComment(key, `Comment ${i}`, h.person.accountId);
    h.store.addComment(key, `Still orphaned.\n${markerFor('ccc333')}`, h.bot.accountId);
    const page = await counted(h, () => h.tracker.listOpenTickets({ teams: ['CAS'] }));
    const item = page.value.items.find((i) => i.ticket.key === key);
    expect(item?.botComment?.id).toBe(h.store.comments(key)[24]?.id);
    // myself, issue types, the read-ahead search, the page, then the comments of the one busy ticket.
    expect(page.requests).toBe(5);
  });

  it('reads the property of its own comment in one request, none where it has not commented, and never takes a comment of its account without one', async () => {
    const key = await h.createTicket({ title: 'Shared API token' });
    const quiet = await h.createTicket({ title: 'Nothing from Cascade here' });
    h.store.addComment(quiet, 'A person wrote this.', h.person.accountId);
    // myself is cached after the first read; then a ticket without Cascade's comment costs the one GET issue.
    await h.tracker.identity();
    expect((await counted(h, () => h.tracker.fetchTicket(quiet))).requests).toBe(1);

    // The account Cascade authenticates as may be a person's (Basic auth): what it typed itself is not Cascade's comment.
    h.store.addComment(key, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Typed by hand.' }] }] }, h.bot.accountId);
    const before = await counted(h, () => h.tracker.fetchTicket(key));
    expect(before.value?.botComment).toBeNull();
    expect(await h.tracker.ensureComment(before.value!, doc('a1b2c3', 'Link it'))).toBe('created');
    const own = h.store.comments(key).at(-1);

    const after = await counted(h, () => h.tracker.fetchTicket(key));
    expect(after.value?.botComment).toMatchObject({ id: own?.id, fingerprint: 'a1b2c3' });
    expect(after.requests).toBe(2);
    expect(await raw(h, 'POST', '/rest/api/3/comment/list?expand=properties', { ids: [Number(own?.id)] })).toMatchObject({
      status: 200,
      json: { values: [{ id: own?.id, properties: [{ key: 'cascade', value: { fingerprint: 'a1b2c3' } }] }] },
    });
    expect(await raw(h, 'GET', `/rest/api/3/comment/${own?.id}/properties/cascade`)).toEqual({ status: 200, json: { key: 'cascade', value: { fingerprint: 'a1b2c3' } } });
    // Properties appear only when asked for, as on Jira.
    const plain = (await raw(h, 'GET', `/rest/api/3/issue/${key}/comment`)).json as { comments: Array<Record<string, unknown>> };
    expect(plain.comments.every((c) => !('properties' in c))).toBe(true);

    // A restart remembers nothing: the comment is found again and edited in place, never posted twice.
    const restarted = new JiraTracker({ host: h.sandbox.baseUrl, auth: HARNESS_BOT });
    const state = await restarted.fetchTicket(key);
    expect(state?.botComment?.id).toBe(own?.id);
    expect(await restarted.ensureComment(state!, doc('d4e5f6', 'Linked now'))).toBe('updated');
    expect(h.store.comments(key).filter((c) => c.authorId === h.bot.accountId)).toHaveLength(2);
    expect(h.store.comments(key).at(-1)?.properties).toEqual({ cascade: { fingerprint: 'd4e5f6' } });
  });

  it('renders valid ADF: marks, links, lists, no blank text nodes, no marker', async () => {
    const adf = renderAdf({
      fingerprint: 'f00',
      blocks: [
        { kind: 'paragraph', content: [{ text: ' ' }, { text: 'bold', bold: true }, { text: ' ' }, { text: 'code', code: true, bold: true }, { text: '' }] },
        { kind: 'paragraph', content: [{ text: '  ' }] },
      ],
    });
    expect(adf.content).toHaveLength(1);
    expect(adf.content[0]?.content).toEqual([
      { type: 'text', text: ' bold ', marks: [{ type: 'strong' }] },
      { type: 'text', text: 'code', marks: [{ type: 'code' }] },
    ]);
    expect(JSON.stringify(adf)).not.toContain('f00');
    const key = await h.createTicket({ title: 'ADF check' });
    expect((await raw(h, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf })).status).toBe(201);
    expect(await raw(h, 'POST', `/rest/api/3/issue/${key}/comment`, { body: 'plain text' })).toEqual({
      status: 400,
      json: { errorMessages: [], errors: { comment: 'Comment body is not valid!' } },
    });
    const blank = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] };
    expect((await raw(h, 'POST', `/rest/api/3/issue/${key}/comment`, { body: blank })).status).toBe(400);
  });

  it('pages 250 open tickets 100 at a time with their ancestry, in few requests', async () => {
    const s = h.store;
    const initiative = s.createIssue({ project: 'CAS', type: 'Initiative', summary: 'Platform', labels: ['platform'] }).key;
    const epics = [1, 2, 3].map((n) => s.createIssue({ project: 'CAS', type: 'Epic', summary: `Epic ${n}`, parent: initiative }).key);
    for (let i = 0; i < 246; i++) s.createIssue({ project: 'CAS', type: 'Story', summary: `Story ${i}`, parent: epics[i % 3] });
    for (let i = 0; i < 5; i++) s.createIssue({ project: 'CAS', type: 'Story', summary: `Shipped ${i}`, status: 'Done' });

    const seen: string[] = [];
    const before = h.requestCount();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.tracker.listOpenTickets({ teams: ['CAS'] }, cursor);
      pages++;
      for (const item of page.items) {
        seen.push(item.ticket.key);
        expect(item.ticket.state).toBe('open');
        if (item.ticket.title.startsWith('Story')) expect(item.ticket.parents.map((p) => p.key)).toEqual([expect.stringMatching(/^CAS-/), initiative]);
      }
      cursor = page.next;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
    // myself, issue types, one page of epics and initiatives read ahead, three pages.
    expect(h.requestCount() - before).toBe(6);
    expect(h.sandbox.requests().filter((r) => r.url === '/rest/api/3/search/jql').length).toBe(4);
  });

  it('pages without the read-ahead: one batched search per missing level', async () => {
    const tracker = new JiraTracker({ host: h.sandbox.baseUrl, auth: HARNESS_BOT, prefetchPages: 0 });
    const initiative = h.store.createIssue({ project: 'CAS', type: 'Initiative', summary: 'Platform' }).key;
    const epic = h.store.createIssue({ project: 'CAS', type: 'Epic', summary: 'API', parent: initiative }).key;
    for (let i = 0; i < 120; i++) h.store.createIssue({ project: 'CAS', type: 'Story', summary: `S${i}`, parent: epic });
    const first = await counted(h, () => tracker.listOpenTickets({ teams: [] }));
    // myself + page; the epic and initiative are on the page itself.
    expect(first.requests).toBe(2);
    expect(first.value.items.at(-1)?.ticket.parents.map((p) => p.key)).toEqual([epic, initiative]);
    const second = await counted(h, () => tracker.listOpenTickets({ teams: [] }, first.value.next));
    expect(second.requests).toBe(1);
    expect(second.value.next).toBeUndefined();
  });

  it('lists the 150 children of an epic and their sub-tasks in two requests, by id as webhooks name them', async () => {
    const epic = h.store.createIssue({ project: 'CAS', type: 'Epic', summary: 'Performance' }).key;
    const stories = Array.from({ length: 150 }, (_, i) => h.store.createIssue({ project: 'CAS', type: 'Story', summary: `S${i}`, parent: epic }));
    const subtasks = stories.slice(0, 4).map((story, i) => h.store.createIssue({ project: 'CAS', type: 'Sub-task', summary: `T${i}`, parent: story.key }));
    const expected = [...stories, ...subtasks].map((issue) => issue.id);
    const keys: string[] = [];
    const before = h.requestCount();
    let cursor: string | undefined;
    do {
      const page = await h.tracker.listTicketsUnder({ kind: 'ticket', id: epic }, cursor);
      keys.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(h.requestCount() - before).toBe(2);
    expect(keys.sort()).toEqual(expected.sort());
    expect(await h.tracker.listTicketsUnder({ kind: 'project', id: 'x' })).toEqual({ items: [] });
  });

  it('lists everything under an initiative, level by level', async () => {
    const keys = hierarchy();
    const other = h.store.createIssue({ project: 'CAS', type: 'Epic', summary: 'SCIM', parent: keys.initiative }).key;
    const story2 = h.store.createIssue({ project: 'CAS', type: 'Story', summary: 'SCIM users', parent: other }).key;
    const idOf = (key: string): string => h.store.requireIssue(key).id;
    const first = await h.tracker.listTicketsUnder({ kind: 'ticket', id: keys.initiative });
    expect(first.items.sort()).toEqual([keys.epic, other].map(idOf).sort());
    const second = await h.tracker.listTicketsUnder({ kind: 'ticket', id: keys.initiative }, first.next);
    expect(second.items.sort()).toEqual([keys.story, keys.subtask, story2].map(idOf).sort());
    expect(second.next).toBeUndefined();
    expect(await h.tracker.listTicketsUnder({ kind: 'ticket', id: 'CAS-404' })).toEqual({ items: [] });
  });

  it('maps 429 to RateLimitedError with Retry-After, and bad credentials to a permanent error', async () => {
    const key = await h.createTicket({ title: 'Rate limited' });
    h.rateLimitNext(1, 7);
    const err = await h.tracker.fetchTicket(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7000);
    expect((await h.tracker.fetchTicket(key))?.ticket.key).toBe(key);

    h.store.createUser({ displayName: 'OAuth app', accountType: 'app', accessToken: 'oauth-access-token' });
    const oauth = new JiraTracker({ host: h.sandbox.baseUrl, auth: { accessToken: 'oauth-access-token' } });
    expect((await oauth.fetchTicket(key))?.ticket.key).toBe(key);

    const wrong = new JiraTracker({ host: h.sandbox.baseUrl, auth: { email: HARNESS_BOT.email, apiToken: 'wrong' } });
    const denied = await wrong.fetchTicket(key).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermanentTrackerError);
    expect((denied as PermanentTrackerError).status).toBe(401);
  });

  it('gives up on a Jira that does not answer after the request timeout, with an error the queue retries', async () => {
    const silent = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const tracker = new JiraTracker({ host: `http://127.0.0.1:${port}`, auth: HARNESS_BOT, requestTimeoutMs: 300 });
      const started = Date.now();
      const err = await tracker.fetchTicket('CAS-1').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(PermanentTrackerError);
      expect(err).not.toBeInstanceOf(RateLimitedError);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('names the setting when an address or credential cannot be used at all', () => {
    expect(() => new JiraTracker({ host: h.sandbox.baseUrl, auth: { email: 'cascade-bot', apiToken: 'token' } })).toThrow(/JIRA_EMAIL/);
    expect(() => new JiraTracker({ host: h.sandbox.baseUrl, auth: { email: HARNESS_BOT.email, apiToken: '' } })).toThrow(/JIRA_API_TOKEN/);
  });

  it('serves the enhanced search the way Jira does', async () => {
    expect((await raw(h, 'POST', '/rest/api/3/search/jql', { jql: '' })).status).toBe(400);
    expect(await raw(h, 'POST', '/rest/api/3/search/jql', { jql: 'ORDER BY key' })).toMatchObject({ status: 400 });
    expect((await raw(h, 'POST', '/rest/api/3/search/jql', { jql: 'project = NOPE' })).status).toBe(400);
    expect((await raw(h, 'GET', '/rest/api/3/search?jql=project%3DCAS')).status).toBe(410);
    const keys = hierarchy();
    const found = await raw(h, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(`parent in (${keys.story}, ${keys.epic})`)}&fields=summary`);
    expect((found.json as { issues: Array<{ key: string }> }).issues.map((i) => i.key)).toEqual([keys.story, keys.subtask]);
    const ids = await raw(h, 'POST', '/rest/api/3/search/jql', { jql: 'project = CAS AND labels = sso' });
    expect(ids.json).toEqual({ issues: [{ id: h.store.requireIssue(keys.epic).id }], isLast: true });
  });

  it('says what to grant when its account lacks "Browse users and groups" (Jira then answers every permission search empty)', async () => {
    const key = await h.createTicket({ title: 'Renew the TLS certificates' });
    const ticket = { id: key, key };
    expect(await h.tracker.mayEdit(ticket, h.person.accountId)).toBe(true);
    h.bot.browseUsers = false;
    const refused = await h.tracker.mayEdit(ticket, h.person.accountId).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PermanentTrackerError);
    expect((refused as Error).message).toContain('"Browse users and groups" global permission');
  });
});

/** The parts of a Jira delivery these tests read. */
interface Delivery {
  webhookEvent: string;
  issue_event_type_name?: string;
  user: { accountId: string };
  changelog: { items: unknown[] };
  issue: { key: string; fields: { labels: string[] } };
  comment: { author: { accountId: string }; body: { type: string } };
}

describe('the demo Jira site', () => {
  it('lines up with the example strategy: ENT-1 above ENT-2 above stories, a retired MOB-1, orphans', async () => {
    const sandbox = await startJiraSandbox();
    try {
      seedDemoJira(sandbox.store);
      const tracker = new JiraTracker({ host: sandbox.baseUrl, auth: DEMO_JIRA_BOT, estimateField: ESTIMATE_FIELD });
      const subtask = await tracker.fetchTicket('ENT-5');
      expect(subtask?.ticket.parents.map((p) => p.key)).toEqual(['ENT-3', 'ENT-2', 'ENT-1']);
      const open = await tracker.listOpenTickets({ teams: ['ENT', 'OPS', 'API', 'MOB'] });
      const byKey = new Map(open.items.map((i) => [i.ticket.key, i.ticket]));
      expect(byKey.has('OPS-15')).toBe(false);
      expect(byKey.get('OPS-11')?.parents.map((p) => p.key)).toEqual(['OPS-10']);
      expect(byKey.get('MOB-2')?.parents.map((p) => p.key)).toEqual(['MOB-1']);
      expect(byKey.get('ENT-9')?.issueType).toBe('Bug');
      expect(byKey.get('ENT-6')?.labels).toEqual(['compliance']);
      expect([...byKey.values()].filter((t) => t.parents.length === 0 && /CSV export|Dark mode/i.test(t.title)).length).toBeGreaterThanOrEqual(4);
      expect(Date.parse(byKey.get('ENT-7')?.createdAt ?? '')).toBeLessThan(Date.now() - 20 * 86_400_000);
    } finally {
      await sandbox.close();
    }
  });
});

describe('Jira sandbox webhooks', () => {
  let receiver: Server;
  let received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }>;
  let url: string;
  beforeEach(async () => {
    received = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('{"status":"queued"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/jira`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('signs deliveries with HMAC-SHA256 and sends both events for the bot comment', async () => {
    const secret = 'jira-webhook-secret';
    const h = await startJiraHarness({ webhook: { url, secret } });
    try {
      const key = await h.createTicket({ title: 'Webhook ticket' });
      const state = await h.tracker.fetchTicket(key);
      if (!state) throw new Error('ticket not found');
      await h.tracker.ensureLabel(state.ticket, 'no-objective', true);
      await h.tracker.ensureComment(state, doc('abc', 'Link it'));
      await h.sandbox.flushWebhooks();

      const events = received.map((r) => {
        const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
        expect(r.headers['x-hub-signature']).toBe(expected);
        expect(r.headers['x-atlassian-webhook-flow']).toBe('Primary');
        return { id: r.headers['x-atlassian-webhook-identifier'], payload: JSON.parse(r.body) as Delivery };
      });
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      const names = events.map((e) => `${e.payload.webhookEvent}/${e.payload.issue_event_type_name ?? ''}`);
      expect(names).toEqual(['jira:issue_created/issue_created', 'jira:issue_updated/issue_updated', 'comment_created/', 'jira:issue_updated/issue_commented']);
      const [, labelled, comment, commented] = events.map((e) => e.payload);
      expect(labelled?.user.accountId).toBe(h.bot.accountId);
      expect(labelled?.changelog.items).toEqual([
        { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: 'no-objective' },
      ]);
      expect(labelled?.issue.fields.labels).toEqual(['no-objective']);
      expect(comment?.comment.author.accountId).toBe(h.bot.accountId);
      expect(comment?.comment.body.type).toBe('doc');
      expect(commented?.user.accountId).toBe(h.bot.accountId);
      expect(commented?.issue.key).toBe(key);
      expect(h.sandbox.deliveries().every((d) => d.status === 200)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('builds the same signature for a fixture delivery', () => {
    const delivery = buildSignedJiraDelivery({ webhookEvent: 'jira:issue_deleted' }, 's3cret', { identifier: 'fixed-id' });
    expect(delivery.body).toBe('{"webhookEvent":"jira:issue_deleted"}');
    expect(delivery.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(delivery.body).digest('hex')}`);
    expect(delivery.headers['x-atlassian-webhook-identifier']).toBe('fixed-id');
  });
});
