// The Linear adapter with the real @linear/sdk client against the sandbox:
// ancestry in one request, idempotent label and comment verbs, paged sweeps
// and fan-out, rate limits, and the sandbox's signed webhooks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { startLinearHarness, type LinearHarness } from '../support/linear-harness.js';
import type { LinearStore } from '../../sandbox/linear/index.js';
import { buildLinearDelivery, envelopeFor, seedDemoWorkspace, startLinearSandbox } from '../../sandbox/linear/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { markerFor, type CommentDoc } from '../../src/reconcile/comment-doc.js';
import { PermanentTrackerError, RateLimitedError } from '../../src/trackers/tracker.js';

function doc(fingerprint: string, text = 'This ticket has no objective yet.'): CommentDoc {
  return { fingerprint, blocks: [{ kind: 'paragraph', content: [{ text, bold: true }] }] };
}

/** Initiatives Company → Enterprise readiness, project SSO, and an issue chain epic → story → task under it. */
function seedLineage(store: LinearStore): void {
  store.createInitiative({ name: 'Company strategy' });
  store.createInitiative({ name: 'Enterprise readiness', parent: 'Company strategy' });
  store.createInitiative({ name: 'Identity' , parent: 'Enterprise readiness' });
  store.createProject({ name: 'SSO', initiatives: ['Enterprise readiness'] });
  store.createProject({ name: 'SCIM provisioning', initiatives: ['Identity'] });
  store.createProject({ name: 'Design system refresh' });
  const epic = store.createIssue({ team: 'ENG', title: 'SAML login', project: 'SSO', labels: ['enterprise'] });
  const story = store.createIssue({ team: 'ENG', title: 'Okta metadata', parent: epic.id, labels: ['backend'] });
  store.createIssue({ team: 'ENG', title: 'Parse certificates', parent: story.id });
  store.createIssue({ team: 'ENG', title: 'SCIM users endpoint', project: 'SCIM provisioning' });
  store.createIssue({ team: 'ENG', title: 'Button palette', project: 'Design system refresh' });
}

describe('LinearTracker against the Linear sandbox', () => {
  let h: LinearHarness;
  beforeEach(async () => {
    h = await startLinearHarness({ sandbox: { seed: seedLineage } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('fetches a ticket with its parents, project and initiative chain in one request', async () => {
    const before = h.requestCount();
    const state = await h.tracker.fetchTicket('ENG-3');
    expect(h.requestCount() - before).toBe(1);
    expect(state?.ticket).toMatchObject({
      tracker: 'linear', key: 'ENG-3', title: 'Parse certificates', team: 'ENG', state: 'open', stateName: 'Todo',
      project: null, labels: [],
    });
    expect(state?.ticket.url).toMatch(/^https:\/\/linear\.app\/.+\/issue\/ENG-3\//);
    expect(state?.ticket.parents.map((p) => [p.key, p.labels])).toEqual([['ENG-2', ['backend']], ['ENG-1', ['enterprise']]]);
    const project = state?.ticket.parents[1]?.project;
    expect(project?.name).toBe('SSO');
    expect(project?.initiatives[0]).toMatchObject({ name: 'Enterprise readiness', parent: { name: 'Company strategy', parent: null } });
    expect(state?.botComment).toBeNull();
    // The viewer came with the ticket: identity() costs nothing more.
    expect(await h.tracker.identity()).toEqual({ id: h.sandbox.store.bot.id, name: 'Cascade' });
    expect(h.requestCount() - before).toBe(1);
  });

  it('takes the UUID or the identifier, and answers null for a missing issue', async () => {
    const byKey = await h.tracker.fetchTicket('ENG-1');
    const byId = await h.tracker.fetchTicket(byKey?.ticket.id ?? '');
    expect(byId?.ticket).toEqual(byKey?.ticket);
    expect(await h.tracker.fetchTicket('ENG-999')).toBeNull();
    expect(await h.tracker.fetchTicket(randomUUID())).toBeNull();
  });

  it('adds a label once, creating it once, and leaves labels a person set alone', async () => {
    const id = await h.createTicket({ title: 'Dark mode', labels: ['frontend'] });
    const other = await h.createTicket({ title: 'CSV export' });
    let state = await h.tracker.fetchTicket(id);
    let before = h.requestCount();
    expect(await h.tracker.ensureLabel(state!.ticket, 'no-objective', true)).toBe(true);
    expect(h.requestCount() - before).toBe(3); // load labels, create the label, add it
    expect(await h.labelsOf(id)).toEqual(['frontend', 'no-objective']);

    state = await h.tracker.fetchTicket(id);
    before = h.requestCount();
    expect(await h.tracker.ensureLabel(state!.ticket, 'no-objective', true)).toBe(false);
    expect(h.requestCount()).toBe(before);

    const second = await h.tracker.fetchTicket(other);
    before = h.requestCount();
    expect(await h.tracker.ensureLabel(second!.ticket, 'no-objective', true)).toBe(true);
    expect(h.requestCount() - before).toBe(1); // the label id is cached
    expect([...h.sandbox.store.labels.values()].filter((l) => l.name === 'no-objective')).toHaveLength(1);

    await h.setLabelsAsPerson(id, ['frontend', 'customer', 'no-objective']);
    state = await h.tracker.fetchTicket(id);
    expect(await h.tracker.ensureLabel(state!.ticket, 'no-objective', false)).toBe(true);
    expect(await h.labelsOf(id)).toEqual(['frontend', 'customer']);
    state = await h.tracker.fetchTicket(id);
    before = h.requestCount();
    expect(await h.tracker.ensureLabel(state!.ticket, 'no-objective', false)).toBe(false);
    expect(h.requestCount()).toBe(before);
  });

  it('creates, keeps, edits in place and deletes its one comment', async () => {
    const id = await h.createTicket({ title: 'Keyboard shortcuts' });
    let state = await h.tracker.fetchTicket(id);
    expect(await h.tracker.ensureComment(state!, doc('aaa111'))).toBe('created');
    const [created] = await h.commentsOf(id);
    expect(created).toMatchObject({ authorId: h.sandbox.store.bot.id });
    expect(created?.text).toContain('**This ticket has no objective yet.**');
    expect(created?.text).toContain(markerFor('aaa111'));

    state = await h.tracker.fetchTicket(id);
    expect(state?.botComment?.id).toBe(created?.id);
    const before = h.requestCount();
    expect(await h.tracker.ensureComment(state!, doc('aaa111'))).toBe('unchanged');
    expect(h.requestCount()).toBe(before);

    expect(await h.tracker.ensureComment(state!, doc('bbb222', 'Now linked to SSO.'))).toBe('updated');
    const comments = await h.commentsOf(id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.id).toBe(created?.id);
    expect(comments[0]?.text).toContain(markerFor('bbb222'));

    state = await h.tracker.fetchTicket(id);
    expect(await h.tracker.ensureComment(state!, null)).toBe('deleted');
    expect(await h.commentsOf(id)).toEqual([]);
    state = await h.tracker.fetchTicket(id);
    expect(await h.tracker.ensureComment(state!, null)).toBe('unchanged');
  });

  it("ignores a person's comment that quotes the marker", async () => {
    const id = await h.createTicket({ title: 'Offline mode' });
    h.sandbox.store.createComment({ issue: id, body: `Why does it say ${markerFor('ccc333')}?` });
    const state = await h.tracker.fetchTicket(id);
    expect(state?.botComment).toBeNull();
    expect(await h.tracker.ensureComment(state!, doc('ccc333'))).toBe('created');
    const comments = await h.commentsOf(id);
    expect(comments).toHaveLength(2);
    expect(comments.filter((c) => c.authorId === h.sandbox.store.bot.id)).toHaveLength(1);
  });

  it('sweeps open tickets in pages of 100 with ancestry from cached lookups', async () => {
    const { store } = h.sandbox;
    store.createTeam({ key: 'WEB', name: 'Web' });
    for (let i = 0; i < 245; i++) store.createIssue({ team: 'ENG', title: `Sweep ticket ${i}`, labels: ['sweep'] });
    for (let i = 0; i < 20; i++) store.createIssue({ team: 'ENG', title: `Done ${i}`, state: 'completed' });
    for (let i = 0; i < 30; i++) store.createIssue({ team: 'WEB', title: `Web ${i}` });
    const bot = store.createComment({ issue: 'ENG-3', body: `Hello\n\n_${markerFor('ddd444')}_`, userId: store.bot.id });

    const before = h.requestCount();
    const seen = [];
    let cursor: string | undefined;
    do {
      const page = await h.tracker.listOpenTickets({ teams: ['ENG'] }, cursor);
      seen.push(...page.items);
      cursor = page.next;
    } while (cursor);
    // 250 open ENG issues: 3 pages, plus labels, projects and initiatives once each.
    expect(seen).toHaveLength(250);
    expect(h.requestCount() - before).toBe(6);
    expect(seen.every((s) => s.ticket.team === 'ENG' && s.ticket.state === 'open')).toBe(true);
    const task = seen.find((s) => s.ticket.key === 'ENG-3');
    const fetched = await h.tracker.fetchTicket('ENG-3');
    expect(task?.ticket).toEqual(fetched?.ticket);
    expect(task?.botComment).toEqual({ id: bot.id, body: bot.body, fingerprint: 'ddd444' });
    expect(seen.find((s) => s.ticket.key === 'ENG-10')?.ticket.labels).toEqual(['sweep']);
  });

  it('sweeps 10,000 tickets in at most 110 requests', async () => {
    const { store } = h.sandbox;
    const parents = ['ENG-1', 'ENG-2', 'ENG-4'].map((ref) => store.requireIssue(ref).id);
    for (let i = 0; i < 10_000 - 5; i++) {
      store.createIssue({
        team: 'ENG', title: `Ticket ${i}`, labels: i % 7 === 0 ? ['enterprise'] : [],
        ...(i % 3 === 0 ? { parent: parents[i % parents.length] } : {}),
      });
    }
    const before = h.requestCount();
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await h.tracker.listOpenTickets({ teams: ['ENG'] }, cursor);
      count += page.items.length;
      cursor = page.next;
    } while (cursor);
    expect(count).toBe(10_000);
    expect(h.requestCount() - before).toBeLessThanOrEqual(110);
  }, 60_000);

  it('lists the tickets under a parent, a project and an initiative', async () => {
    const all = async (container: Parameters<LinearTracker['listTicketsUnder']>[0]) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.tracker.listTicketsUnder(container, cursor);
        ids.push(...page.items);
        cursor = page.next;
      } while (cursor);
      return ids.map((id) => h.sandbox.store.identifierOf(h.sandbox.store.requireIssue(id))).sort();
    };
    const { store } = h.sandbox;
    expect(await all({ kind: 'ticket', id: store.requireIssue('ENG-1').id })).toEqual(['ENG-2', 'ENG-3']);
    expect(await all({ kind: 'project', id: store.requireProject('SSO').id })).toEqual(['ENG-1', 'ENG-2', 'ENG-3']);
    expect(await all({ kind: 'initiative', id: store.requireInitiative('Enterprise readiness').id }))
      .toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'ENG-4']);
    for (let i = 0; i < 130; i++) store.createIssue({ team: 'ENG', title: `SSO task ${i}`, project: 'SSO' });
    const before = h.requestCount();
    expect(await all({ kind: 'project', id: store.requireProject('SSO').id })).toHaveLength(133);
    expect(h.requestCount() - before).toBe(2);
  });

  it('turns rate-limit answers into RateLimitedError with the wait Linear asks for', async () => {
    h.rateLimitNext(2, 30);
    const started = Date.now();
    const limited = await h.tracker.fetchTicket('ENG-1').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    // Until the reset Linear names: 30 s from its answer, less the time that answer took to be read.
    const wait = (limited as RateLimitedError).retryAfterMs;
    expect(wait).toBeGreaterThanOrEqual(30_000 - (Date.now() - started));
    expect(wait).toBeLessThanOrEqual(30_000);
    await expect(h.tracker.listOpenTickets({ teams: [] })).rejects.toBeInstanceOf(RateLimitedError);
    expect((await h.tracker.fetchTicket('ENG-1'))?.ticket.key).toBe('ENG-1');
  });

  it('waits a second, not a minute, when the reset Linear names has passed by the time its answer is read', async () => {
    // A reset 0 s away is one a slow answer on a busy machine reaches us after: the bucket has refilled.
    h.rateLimitNext(1, 0);
    const limited = await h.tracker.fetchTicket('ENG-1').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(1_000);
    expect((await h.tracker.fetchTicket('ENG-1'))?.ticket.key).toBe('ENG-1');
  });

  it('turns a refused key into PermanentTrackerError', async () => {
    const stranger = new LinearTracker({ apiKey: 'lin_api_wrong', apiUrl: h.sandbox.apiUrl });
    await expect(stranger.fetchTicket('ENG-1')).rejects.toBeInstanceOf(PermanentTrackerError);
    const anonymous = await fetch(h.sandbox.apiUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const body = (await anonymous.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('AUTHENTICATION_ERROR');
    expect(anonymous.headers.get('x-ratelimit-requests-limit')).not.toBeNull();
  });
});

describe('the demo workspace', () => {
  it('lines up with the example strategy: aligned, orphan, stale, exempt and closed work', async () => {
    const sandbox = await startLinearSandbox({ seed: seedDemoWorkspace });
    try {
      const tracker = new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl });
      const page = await tracker.listOpenTickets({ teams: ['ENG', 'WEB'] });
      const byTitle = new Map(page.items.map((s) => [s.ticket.title, s.ticket]));
      expect(page.items.length).toBeGreaterThanOrEqual(20);
      expect(byTitle.get('Map Okta groups to workspace roles')?.parents[0]?.project?.initiatives[0])
        .toMatchObject({ name: 'Enterprise readiness', parent: { name: 'Company strategy FY2026' } });
      expect(byTitle.get('Offline mode for the field app')?.project?.name).toBe('Mobile beta');
      expect(byTitle.get('Refresh button styles to the new palette')?.project?.initiatives).toEqual([]);
      expect([...byTitle.keys()].filter((t) => /dark mode/i.test(t))).toHaveLength(3);
      expect(byTitle.get('Crash when a comment contains an emoji at the end')?.labels).toEqual(['bug']);
      expect(byTitle.has('Upgrade the Postgres driver')).toBe(false);
      // Past the grace period: every ticket is days old, the stale one two months.
      const ageDays = page.items.map((s) => (Date.now() - Date.parse(s.ticket.createdAt)) / 86_400_000);
      expect(Math.min(...ageDays)).toBeGreaterThan(1);
      expect(Math.max(...ageDays)).toBeGreaterThan(30);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the Linear sandbox webhooks', () => {
  it("signs deliveries the way @linear/sdk verifies them, with the bot as the actor of the adapter's writes", async () => {
    const secret = 'whsec-test';
    const received: Array<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200).end('{"status":"queued"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/linear`;
    const sandbox = await startLinearSandbox({
      webhook: { url, secret },
      seed: (store) => {
        store.createTeam({ key: 'ENG', name: 'Engineering' });
        store.createLabel({ name: 'no-objective' });
      },
    });
    try {
      const tracker = new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl });
      const issue = sandbox.store.createIssue({ team: 'ENG', title: 'Dark mode' });
      const state = await tracker.fetchTicket(issue.id);
      await tracker.ensureLabel(state!.ticket, 'no-objective', true);
      await sandbox.flushWebhooks();

      const verifier = new LinearWebhookClient(secret);
      const payloads = received.map((r) => {
        const signature = String(r.headers['linear-signature']);
        expect(verifier.verify(r.body, signature)).toBe(true);
        expect(r.headers['linear-event']).toBe(verifier.parseData(r.body, signature).type);
        expect(r.headers['linear-delivery']).toMatch(/^[0-9a-f-]{36}$/);
        return JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
      });
      expect(payloads.map((p) => p.action)).toEqual(['create', 'update']);
      const update = payloads[1]!;
      expect(update).toMatchObject({
        type: 'Issue', actor: { id: sandbox.store.bot.id, type: 'user' },
        updatedFrom: { labelIds: [] }, data: { id: issue.id, identifier: 'ENG-1', teamId: issue.teamId },
      });
      expect((update.data as { labelIds: string[] }).labelIds).toHaveLength(1);
      expect(payloads[0]?.actor).toMatchObject({ id: sandbox.store.person.id });

      // The same code builds deliveries for tests and the demo replay.
      const replay = buildLinearDelivery(secret, envelopeFor(sandbox.store, {
        type: 'Issue', action: 'update', record: issue, updatedFrom: { title: 'Old' }, actorId: sandbox.store.person.id,
      }, { webhookId: randomUUID() }));
      expect(verifier.verify(Buffer.from(replay.body), replay.headers['linear-signature'] ?? '')).toBe(true);
    } finally {
      await sandbox.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
