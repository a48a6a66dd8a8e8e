// The Tracker contract (src/trackers/tracker.ts), asserted once and run against
// both adapters: the real LinearTracker (@linear/sdk) against the Linear
// sandbox and the real JiraTracker (jira.js) against the Jira sandbox. Every
// assertion is tracker-neutral: refs are whatever the harness hands back, and
// keys, ids and the bot's account come from the adapter itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markerFor, type CommentDoc } from '../../src/reconcile/comment-doc.js';
import { RateLimitedError, type ContainerRef, type LinkWanted, type TicketState, type Tracker } from '../../src/trackers/tracker.js';
import { JiraTracker } from '../../src/trackers/jira/jira-tracker.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { HARNESS_BOT, HARNESS_PROJECT } from '../support/jira-harness.js';
import type { TrackerHarness } from '../support/tracker-harness.js';
import { startLinearHarness } from '../support/linear-harness.js';
import { startJiraHarness } from '../support/jira-harness.js';

/**
 * What the suite needs beyond TrackerHarness: a person's comment. The shared
 * harness interface has no such verb yet, so each sandbox's store does it here.
 */
interface ConformanceHarness extends TrackerHarness {
  commentAsPerson(ref: string, text: string): Promise<void>;
  /** A comment by Cascade's account as an older Cascade wrote it, with the marker `cascade:check:<fp>` in its text. */
  commentAsOldCascade(ref: string, text: string): Promise<string>;
  /** A new adapter on the same sandbox, as after a restart (nothing remembered). */
  restarted(): Tracker;
  /** Whether the tracker keeps data beside a comment's text, so the marker can stay out of sight (Jira). */
  hidesMarker: boolean;
  /**
   * Accounts set up in the sandbox as the tracker's permissions have them:
   * `editors` may edit the harness's tickets, `others` may not (Linear: a
   * guest outside the team; Jira: an account the permission scheme leaves out).
   */
  permissions(): { editors: string[]; others: string[] };
  /**
   * A place a ticket can move to in one step (Linear: a project; Jira: an
   * epic, one level above a story), as a suggestion's link names it; `name` is
   * how a person would write it, `where` tells where a ticket sits now.
   */
  linkPlace(): { wanted: LinkWanted; name: string; where(ref: string): string | null };
}

/** The marker an older Cascade wrote into the text of every comment. */
const oldMarker = (fingerprint: string): string => `cascade:check:${fingerprint}`;

function doc(fingerprint: string, text: string): CommentDoc {
  return {
    fingerprint,
    blocks: [
      { kind: 'paragraph', content: [{ text: 'This ticket has ' }, { text: 'no objective', bold: true }, { text: ` yet. ${text}` }] },
      { kind: 'list', items: [[{ text: 'Enterprise readiness', code: true }], [{ text: 'how to link', href: 'https://example.com/link' }]] },
    ],
  };
}

async function startLinear(): Promise<ConformanceHarness> {
  const h = await startLinearHarness();
  return {
    ...h,
    commentAsPerson: async (ref, text) => {
      h.sandbox.store.createComment({ issue: ref, body: text, userId: h.sandbox.store.person.id });
    },
    commentAsOldCascade: async (ref, text) => h.sandbox.store.createComment({ issue: ref, body: text, userId: h.sandbox.store.bot.id }).id,
    restarted: () => new LinearTracker({ apiKey: h.sandbox.apiKey, apiUrl: h.sandbox.apiUrl }),
    hidesMarker: false,
    permissions: () => {
      const { store } = h.sandbox;
      const guestInTeam = store.createUser({ name: 'Gita Contractor', guest: true, teams: ['ENG'] });
      const guestElsewhere = store.createUser({ name: 'Gus Visitor', guest: true, teams: [] });
      return { editors: [store.person.id, guestInTeam.id], others: [guestElsewhere.id] };
    },
    linkPlace: () => {
      const { store } = h.sandbox;
      const project = store.createProject({ name: 'Conformance billing' });
      return {
        wanted: { kind: 'project', name: 'conformance BILLING' },
        name: project.name,
        where: (ref) => {
          const projectId = store.findIssue(ref)?.projectId;
          return projectId ? (store.projects.get(projectId)?.name ?? null) : null;
        },
      };
    },
  };
}

async function startJira(): Promise<ConformanceHarness> {
  const h = await startJiraHarness();
  return {
    ...h,
    commentAsPerson: async (ref, text) => {
      h.store.addComment(ref, text, h.person.accountId);
    },
    commentAsOldCascade: async (ref, text) =>
      h.store.addComment(ref, { type: 'doc', version: 1, content: text.split('\n\n').map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })) }, h.bot.accountId).id,
    restarted: () => new JiraTracker({ host: h.sandbox.baseUrl, auth: HARNESS_BOT }),
    hidesMarker: true,
    permissions: () => {
      const viewer = h.store.createUser({ displayName: 'Vic Viewer', email: 'vic@example.com', accountId: '712020:vic' });
      h.store.setEditors(HARNESS_PROJECT, [h.bot.accountId, h.person.accountId]);
      return { editors: [h.person.accountId], others: [viewer.accountId] };
    },
    linkPlace: () => {
      const epic = h.store.createIssue({ project: HARNESS_PROJECT, type: 'Epic', summary: 'Conformance billing', actor: h.person.accountId });
      return { wanted: { kind: 'issue', name: epic.key }, name: epic.key, where: (ref) => h.store.parentOf(h.store.requireIssue(ref))?.key ?? null };
    },
  };
}

function conformance(name: string, start: () => Promise<ConformanceHarness>): void {
  describe(`Tracker conformance: ${name}`, () => {
    let h: ConformanceHarness;
    beforeEach(async () => {
      h = await start();
    });
    afterEach(async () => {
      await h.close();
    });

    /** Requests the sandbox answered while `run` executed. */
    async function counted<T>(run: () => Promise<T>): Promise<{ value: T; requests: number }> {
      const before = h.requestCount();
      const value = await run();
      return { value, requests: h.requestCount() - before };
    }

    async function fetched(ref: string): Promise<TicketState> {
      const state = await h.tracker.fetchTicket(ref);
      if (!state) throw new Error(`${name}: fetchTicket(${ref}) answered null for a ticket the harness created`);
      return state;
    }

    async function everyPage<T>(read: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<{ items: T[]; pages: number }> {
      const items: T[] = [];
      let pages = 0;
      let cursor: string | undefined;
      do {
        const page = await read(cursor);
        pages += 1;
        items.push(...page.items);
        cursor = page.next;
        if (pages > 50) throw new Error(`${name}: more than 50 pages; is \`next\` ever absent?`);
      } while (cursor !== undefined);
      return { items, pages };
    }

    it('answers a stable identity, cached after the first call', async () => {
      const first = await h.tracker.identity();
      expect(first.id).toEqual(expect.any(String));
      expect(first.id.length).toBeGreaterThan(0);
      expect(first.name.length).toBeGreaterThan(0);
      const second = await counted(() => h.tracker.identity());
      expect(second.requests).toBe(0);
      expect(second.value).toEqual(first);
    });

    it('fetches a ticket with its labels and its parents nearest first, and null for a missing one', async () => {
      const grand = await h.createTicket({ title: 'Enterprise login', labels: ['enterprise'] });
      const parent = await h.createTicket({ title: 'Okta metadata', labels: ['backend'], parent: grand });
      const child = await h.createTicket({ title: 'Parse certificates', description: 'Reject unsigned assertions.', labels: ['frontend'], parent });
      const grandKey = (await fetched(grand)).ticket.key;
      const parentKey = (await fetched(parent)).ticket.key;

      const state = await fetched(child);
      expect(state.ticket).toMatchObject({ tracker: h.tracker.id, title: 'Parse certificates', labels: ['frontend'], state: 'open' });
      expect(state.ticket.description).toContain('Reject unsigned assertions.');
      expect(state.ticket.key).not.toBe(parentKey);
      expect(state.ticket.parents.map((p) => [p.key, p.labels])).toEqual([
        [parentKey, ['backend']],
        [grandKey, ['enterprise']],
      ]);
      expect(state.botComment).toBeNull();
      // The same ticket by the same ref is the same snapshot.
      expect((await fetched(child)).ticket).toEqual(state.ticket);

      const prefix = state.ticket.key.replace(/-\d+$/, '');
      expect(prefix).not.toBe(state.ticket.key);
      expect(await h.tracker.fetchTicket(`${prefix}-99999`)).toBeNull();
    });

    it('adds a missing label once, creating it, and the second call writes nothing', async () => {
      const ref = await h.createTicket({ title: 'Dark mode', labels: ['frontend'] });
      const before = await fetched(ref);
      const added = await counted(() => h.tracker.ensureLabel(before.ticket, 'no-objective', true));
      expect(added.value).toBe(true);
      expect(added.requests).toBeGreaterThan(0);
      expect((await h.labelsOf(ref)).sort()).toEqual(['frontend', 'no-objective']);

      const after = await fetched(ref);
      expect([...after.ticket.labels].sort()).toEqual(['frontend', 'no-objective']);
      const again = await counted(() => h.tracker.ensureLabel(after.ticket, 'no-objective', true));
      expect(again).toEqual({ value: false, requests: 0 });
      expect((await h.labelsOf(ref)).sort()).toEqual(['frontend', 'no-objective']);

      // Absent on a ticket that does not carry it: nothing to do, no request.
      const other = await fetched(await h.createTicket({ title: 'CSV export' }));
      expect(await counted(() => h.tracker.ensureLabel(other.ticket, 'no-objective', false))).toEqual({ value: false, requests: 0 });
    });

    it('removes only its own label and keeps every label a person set', async () => {
      const ref = await h.createTicket({ title: 'Keyboard shortcuts', labels: ['frontend'] });
      expect(await h.tracker.ensureLabel((await fetched(ref)).ticket, 'no-objective', true)).toBe(true);
      await h.setLabelsAsPerson(ref, ['frontend', 'customer', 'no-objective']);

      const labelled = await fetched(ref);
      expect([...labelled.ticket.labels].sort()).toEqual(['customer', 'frontend', 'no-objective']);
      expect(await h.tracker.ensureLabel(labelled.ticket, 'no-objective', false)).toBe(true);
      expect((await h.labelsOf(ref)).sort()).toEqual(['customer', 'frontend']);

      const cleared = await fetched(ref);
      expect([...cleared.ticket.labels].sort()).toEqual(['customer', 'frontend']);
      expect(await counted(() => h.tracker.ensureLabel(cleared.ticket, 'no-objective', false))).toEqual({ value: false, requests: 0 });
      // Present again over a person's labels: added beside them, never replacing them.
      expect(await h.tracker.ensureLabel(cleared.ticket, 'stale-objective', true)).toBe(true);
      expect((await h.labelsOf(ref)).sort()).toEqual(['customer', 'frontend', 'stale-objective']);
    });

    it("tells who last took a label off from the ticket's history, in one request", async () => {
      const bot = await h.tracker.identity();
      const ref = await h.createTicket({ title: 'Audit trail export', labels: ['frontend'] });
      expect(await h.tracker.ensureLabel((await fetched(ref)).ticket, 'no-objective', true)).toBe(true);
      const labelRemoval = h.tracker.labelRemoval!.bind(h.tracker);
      expect(await labelRemoval((await fetched(ref)).ticket, 'no-objective')).toBeNull();

      await h.setLabelsAsPerson(ref, ['backend']); // a person takes Cascade's label (and another) off
      const bare = (await fetched(ref)).ticket;
      const byPerson = await counted(() => labelRemoval(bare, 'no-objective'));
      expect(byPerson.requests).toBe(1);
      expect(byPerson.value).toMatchObject({ by: expect.any(String), byName: expect.any(String) });
      expect(byPerson.value!.by).not.toBe(bot.id);
      expect(Date.parse(byPerson.value!.at)).toBeGreaterThan(Date.now() - 60_000);
      expect(await labelRemoval((await fetched(ref)).ticket, 'stale-objective')).toBeNull();

      // Cascade's own account puts it back and takes it off again (another deployment, the same token): the latest removal is its.
      const other = h.restarted();
      expect(await other.ensureLabel((await fetched(ref)).ticket, 'no-objective', true)).toBe(true);
      expect(await other.ensureLabel((await fetched(ref)).ticket, 'no-objective', false)).toBe(true);
      expect(await labelRemoval((await fetched(ref)).ticket, 'no-objective')).toMatchObject({ by: bot.id });
    });

    it('keeps one comment: created, unchanged without a request, updated in place, deleted', async () => {
      const ref = await h.createTicket({ title: 'Offline mode' });
      const bot = await h.tracker.identity();

      expect(await h.tracker.ensureComment(await fetched(ref), doc('aaa111', 'First.'))).toBe('created');
      const [created, ...extra] = await h.commentsOf(ref);
      expect(extra).toEqual([]);
      expect(created?.authorId).toBe(bot.id);
      expect(created?.text).toContain('no objective');
      // Jira keeps the fingerprint in a comment property; Linear, in the smallest footer its Markdown keeps.
      if (h.hidesMarker) expect(created?.text).not.toMatch(/cascade:|aaa111/i);
      else expect(created?.text.trim().endsWith(`_${markerFor('aaa111')}_`)).toBe(true);

      const withComment = await fetched(ref);
      expect(withComment.botComment?.id).toBe(created?.id);
      expect(withComment.botComment?.fingerprint).toBe('aaa111');
      expect(await counted(() => h.tracker.ensureComment(withComment, doc('aaa111', 'First.')))).toEqual({ value: 'unchanged', requests: 0 });

      expect(await h.tracker.ensureComment(withComment, doc('bbb222', 'Now linked to SSO.'))).toBe('updated');
      const updated = await h.commentsOf(ref);
      expect(updated).toHaveLength(1);
      expect(updated[0]?.id).toBe(created?.id);
      if (h.hidesMarker) expect(updated[0]?.text).not.toMatch(/cascade:|bbb222/i);
      else expect(updated[0]?.text).toContain(markerFor('bbb222'));
      expect(updated[0]?.text).toContain('Now linked to SSO.');
      expect(updated[0]?.text).not.toContain('aaa111');

      const reread = await fetched(ref);
      expect(reread.botComment?.id).toBe(created?.id);
      expect(await counted(() => h.tracker.ensureComment(reread, doc('bbb222', 'Now linked to SSO.')))).toEqual({ value: 'unchanged', requests: 0 });
      expect(await h.tracker.ensureComment(reread, null)).toBe('deleted');
      expect(await h.commentsOf(ref)).toEqual([]);

      const gone = await fetched(ref);
      expect(gone.botComment).toBeNull();
      expect(await counted(() => h.tracker.ensureComment(gone, null))).toEqual({ value: 'unchanged', requests: 0 });
    });

    it('finds its comment again after a restart: unchanged without a write, edited in place, never a second', async () => {
      const ref = await h.createTicket({ title: 'Bulk invite' });
      await h.commentAsPerson(ref, 'Any news on this?');
      expect(await h.tracker.ensureComment(await fetched(ref), doc('ddd444', 'Pick an objective.'))).toBe('created');

      const after = h.restarted();
      const state = await after.fetchTicket(ref);
      if (!state) throw new Error('ticket not found after a restart');
      const bot = await after.identity();
      const mine = (await h.commentsOf(ref)).filter((c) => c.authorId === bot.id);
      expect(mine).toHaveLength(1);
      expect(state.botComment?.id).toBe(mine[0]?.id);
      expect(state.botComment?.fingerprint).toBe('ddd444');
      expect(await counted(() => after.ensureComment(state, doc('ddd444', 'Pick an objective.')))).toEqual({ value: 'unchanged', requests: 0 });
      expect(await after.ensureComment(state, doc('eee555', 'Linked to SSO.'))).toBe('updated');
      const comments = await h.commentsOf(ref);
      expect(comments.filter((c) => c.authorId === bot.id).map((c) => c.id)).toEqual([mine[0]?.id]);
      expect(comments).toHaveLength(2);
    });

    it('recognises a comment an older Cascade wrote with the marker in its text, and drops the marker on its next edit', async () => {
      const ref = await h.createTicket({ title: 'Dark mode' });
      const id = await h.commentAsOldCascade(ref, `This ticket has no objective yet.\n\n${oldMarker('fff666')}`);
      const state = await fetched(ref);
      expect(state.botComment?.id).toBe(id);
      expect(state.botComment?.fingerprint).toBe('fff666');
      // Saying the same thing is no reason to edit (watchers are notified of every edit).
      expect(await counted(() => h.tracker.ensureComment(state, doc('fff666', 'Same.')))).toEqual({ value: 'unchanged', requests: 0 });

      expect(await h.tracker.ensureComment(state, doc('abc777', 'Now linked.'))).toBe('updated');
      const [edited, ...others] = await h.commentsOf(ref);
      expect(others).toEqual([]);
      expect(edited?.id).toBe(id);
      expect(edited?.text).not.toContain(oldMarker('fff666'));
      expect(edited?.text).not.toContain('cascade:check');
      expect(edited?.text).toContain('Now linked.');
      const reread = await fetched(ref);
      expect(reread.botComment).toMatchObject({ id, fingerprint: 'abc777' });
    });

    it("does not take a person's comment that quotes the marker for its own", async () => {
      const ref = await h.createTicket({ title: 'Audit log export' });
      await h.commentAsPerson(ref, `Why does the bot say ${markerFor('ccc333')}?`);
      const state = await fetched(ref);
      expect(state.botComment).toBeNull();

      expect(await h.tracker.ensureComment(state, doc('ccc333', 'Pick an objective.'))).toBe('created');
      const bot = await h.tracker.identity();
      const comments = await h.commentsOf(ref);
      expect(comments).toHaveLength(2);
      const own = comments.filter((c) => c.authorId === bot.id);
      expect(own).toHaveLength(1);
      expect((await fetched(ref)).botComment?.id).toBe(own[0]?.id);
      // The person's comment is never edited or removed by Cascade.
      expect(await h.tracker.ensureComment(await fetched(ref), null)).toBe('deleted');
      const left = await h.commentsOf(ref);
      expect(left).toHaveLength(1);
      expect(left[0]?.authorId).not.toBe(bot.id);
      expect(left[0]?.text).toContain(markerFor('ccc333'));
    });

    it('tells who may edit a ticket, writing nothing, and says no for an account it does not know', async () => {
      const ref = await h.createTicket({ title: 'Rotate the signing keys', labels: ['security'] });
      const { ticket } = await fetched(ref);
      const { editors, others } = h.permissions();
      for (const account of editors) expect(await h.tracker.mayEdit(ticket, account), account).toBe(true);
      for (const account of others) expect(await h.tracker.mayEdit(ticket, account), account).toBe(false);
      expect(await h.tracker.mayEdit(ticket, 'no-such-account')).toBe(false);
      // Read-only: the same question again gives the same answer, and the ticket shows nothing new.
      expect(await h.tracker.mayEdit(ticket, others[0]!)).toBe(false);
      expect(await h.labelsOf(ref)).toEqual(['security']);
      expect(await h.commentsOf(ref)).toEqual([]);
    });

    it('finds where a link points and moves a ticket there once; a name that matches nothing gets the closest names', async () => {
      const ref = await h.createTicket({ title: 'Invoice PDF download' });
      const place = h.linkPlace();
      const state = (await h.tracker.fetchTicket(ref))!;
      const lookup = await h.tracker.findLinkTarget(state.ticket, place.wanted);
      if (!lookup.found) throw new Error(`no link target found: ${JSON.stringify(lookup)}`);
      expect(await h.tracker.moveTicket(state.ticket, lookup.found)).toBe(true);
      expect(place.where(ref)).toBe(place.name);
      const moved = (await h.tracker.fetchTicket(ref))!;
      const before = h.requestCount();
      expect(await h.tracker.moveTicket(moved.ticket, lookup.found)).toBe(false); // idempotent: nothing to write
      expect(h.requestCount()).toBe(before);

      const unknown = await h.tracker.findLinkTarget(state.ticket, { kind: 'name', name: 'Conformance biling x' });
      expect(unknown.found).toBeNull();
      expect(unknown.found === null && unknown.closest.join(' ')).toContain('Conformance billing');
    });

    it('lists open tickets page by page until `next` is absent, without closed ones', async () => {
      const open = new Set<string>();
      for (let i = 0; i < 130; i++) open.add(await h.createTicket({ title: `Sweep ticket ${i}`, labels: i % 10 === 0 ? ['sweep'] : [] }));
      const closed = new Set<string>();
      for (let i = 0; i < 5; i++) closed.add(await h.createTicket({ title: `Done ${i}`, closed: true }));
      const openKeys = new Set<string>();
      const closedKeys = new Set<string>();
      // Refs may be ids or keys: compare by what fetchTicket says.
      for (const ref of [...open].slice(0, 3)) openKeys.add((await fetched(ref)).ticket.key);
      for (const ref of closed) {
        const state = await fetched(ref);
        expect(state.ticket.state).toBe('closed');
        closedKeys.add(state.ticket.key);
      }

      const { items, pages } = await everyPage((cursor) => h.tracker.listOpenTickets({ teams: [] }, cursor));
      expect(pages).toBeGreaterThan(1);
      expect(items).toHaveLength(130);
      const keys = items.map((s) => s.ticket.key);
      expect(new Set(keys).size).toBe(130);
      expect(items.every((s) => s.ticket.state === 'open')).toBe(true);
      expect(keys.filter((k) => closedKeys.has(k))).toEqual([]);
      for (const key of openKeys) expect(keys).toContain(key);
      expect(items.filter((s) => s.ticket.labels.includes('sweep'))).toHaveLength(13);
    });

    it("gives open tickets the tracker's rank, the same from a check's read and a sweep's page", async () => {
      const refs = [await h.createTicket({ title: 'First in the backlog' }), await h.createTicket({ title: 'Second' }), await h.createTicket({ title: 'Third' })];
      const read = await Promise.all(refs.map(fetched));
      const { items } = await everyPage((cursor) => h.tracker.listOpenTickets({ teams: [] }, cursor));
      const listed = new Map(items.map((s) => [s.ticket.key, s.ticket.rank]));
      for (const state of read) {
        expect(state.ticket.rank).toBeDefined();
        expect(listed.get(state.ticket.key)).toEqual(state.ticket.rank);
      }
      // The sandboxes rank in creation order, as a new ticket lands at the bottom of a backlog.
      const byRank = [...read].sort((a, b) => (a.ticket.rank! < b.ticket.rank! ? -1 : a.ticket.rank! > b.ticket.rank! ? 1 : 0));
      expect(byRank.map((s) => s.ticket.title)).toEqual(['First in the backlog', 'Second', 'Third']);
    });

    it('lists the tickets done since a date, in pages, with their done dates and parents', async () => {
      const weeksAgo = (weeks: number): string => new Date(Date.now() - weeks * 7 * 86_400_000).toISOString();
      const epic = await h.createTicket({ title: 'Self-serve upgrades', labels: ['growth'] });
      const epicKey = (await fetched(epic)).ticket.key;
      const recent: string[] = [];
      for (let i = 0; i < 104; i += 1) recent.push(await h.createTicket({ title: `Done ${i}`, doneAt: weeksAgo(1 + (i % 10)), ...(i === 0 ? { parent: epic } : {}) }));
      const old = await h.createTicket({ title: 'Done long ago', doneAt: weeksAgo(20) });
      await h.createTicket({ title: 'Still open' });

      const first = await fetched(recent[0]!);
      expect(first.ticket).toMatchObject({ state: 'closed', doneKind: 'completed' });
      expect(Math.abs(Date.parse(first.ticket.doneAt ?? '') - Date.parse(weeksAgo(1)))).toBeLessThan(60_000);

      const { items, pages } = await everyPage((cursor) => h.tracker.listDoneSince!(weeksAgo(12), { teams: [] }, cursor));
      expect(pages).toBeGreaterThan(1);
      const keys = items.map((s) => s.ticket.key);
      expect(new Set(keys).size).toBe(104);
      expect(keys).not.toContain((await fetched(old)).ticket.key);
      expect(items.every((s) => s.ticket.state === 'closed' && s.ticket.doneKind === 'completed' && Date.parse(s.ticket.doneAt ?? '') >= Date.parse(weeksAgo(12)) - 86_400_000)).toBe(true);
      // Ancestry comes with the page, as a sweep's does: the lineage at close resolves without another read.
      const listedFirst = items.find((s) => s.ticket.key === first.ticket.key);
      expect(listedFirst?.ticket.parents.map((p) => [p.key, p.labels])).toEqual([[epicKey, ['growth']]]);
      expect(listedFirst?.ticket.doneAt).toBe(first.ticket.doneAt);
    });

    it('lists the tickets under a parent ticket', async () => {
      const parent = await h.createTicket({ title: 'SAML login' });
      const children = [
        await h.createTicket({ title: 'Okta metadata', parent }),
        await h.createTicket({ title: 'Azure AD metadata', parent }),
        await h.createTicket({ title: 'Certificate rotation', parent }),
      ];
      await h.createTicket({ title: 'Unrelated', labels: ['frontend'] });
      const container: ContainerRef = { kind: 'ticket', id: parent };
      const { items } = await everyPage((cursor) => h.tracker.listTicketsUnder(container, cursor));
      // Neutral: an adapter may answer ids or keys; both name the same tickets.
      const keysOf = async (refs: string[]): Promise<string[]> => {
        const keys: string[] = [];
        for (const ref of refs) keys.push((await fetched(ref)).ticket.key);
        return keys.sort();
      };
      expect(await keysOf(items)).toEqual(await keysOf(children));
      const lonely = await h.createTicket({ title: 'No children' });
      expect((await h.tracker.listTicketsUnder({ kind: 'ticket', id: lonely })).items).toEqual([]);
    });

    it('turns a rate-limit answer into RateLimitedError with the wait asked for, then carries on', async () => {
      const ref = await h.createTicket({ title: 'Rate limited' });
      // Warm the identity, so the one limited answer lands on the ticket read.
      await h.tracker.identity();
      h.rateLimitNext(1, 2);
      const started = Date.now();
      const error = await h.tracker.fetchTicket(ref).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      // Jira says "2 s" (Retry-After); Linear names the moment its bucket resets, 2 s after its
      // answer, so the wait left is shorter by the time that answer took to be read (never below 1 s).
      const wait = (error as RateLimitedError).retryAfterMs;
      expect(wait).toBeGreaterThanOrEqual(Math.max(1_000, 2_000 - (Date.now() - started)));
      expect(wait).toBeLessThanOrEqual(2_000);
      expect((error as RateLimitedError).code).toBe('CASCADE_TRACKER_RATE_LIMITED');
      const after = await h.tracker.fetchTicket(ref);
      expect(after?.ticket.title).toBe('Rate limited');
    });
  });
}

conformance('Linear (LinearTracker against the Linear sandbox)', startLinear);
conformance('Jira (JiraTracker against the Jira sandbox)', startJira);
