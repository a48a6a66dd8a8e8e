// Bounded proposals (PRODUCT.md, "Bounded proposals"), end to end: people write
// `/cascade propose` in comments on the sandboxes, the real receiver and workers
// record them, a worker groups them and stores the groups, and the admin routes
// answer what was stored.
import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, sleep, type E2E } from '../support/e2e.js';
import { adfFromText } from '../../sandbox/jira/index.js';
import { MAX_PROPOSALS, ProposalStore } from '../../src/store/proposal-store.js';
import type { TrackerId } from '../../src/strategy/types.js';

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
interface Ticket { id: string; key: string }

/** A person's comment on a ticket, which they can edit. */
interface PersonCase {
  tracker: TrackerId;
  ticket(e: E2E, title: string): Ticket;
  comment(e: E2E, t: Ticket, body: string): { edit(body: string): void };
}

const linear: PersonCase = {
  tracker: 'linear',
  ticket(e, title) {
    const issue = e.linear.store.createIssue({ team: 'ENG', title, project: 'SSO', createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
    return { id: issue.id, key: e.linear.store.identifierOf(issue) };
  },
  comment(e, t, body) {
    const { store } = e.linear;
    const comment = store.createComment({ issue: t.id, body, userId: store.person.id });
    return { edit: (next) => void store.updateComment(comment.id, next) };
  },
};

const jira: PersonCase = {
  tracker: 'jira',
  ticket(e, title) {
    const issue = e.jira.store.createIssue({ project: 'OPS', type: 'Story', summary: title, parent: 'OPS-10', createdAt: Date.now() - 2 * DAY, actor: '712020:priya' });
    return { id: issue.id, key: issue.key };
  },
  comment(e, t, body) {
    const comment = e.jira.store.addComment(t.key, adfFromText(body), '712020:priya');
    return { edit: (next) => void e.jira.store.updateComment(t.key, comment.id, adfFromText(next), '712020:priya') };
  },
};

const admin = async (e: E2E, path: string): Promise<Record<string, unknown>> => {
  const res = await fetch(`${e.url}${path}`, { headers: { authorization: `Bearer ${e.adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};

/** Waits until the worker has stored a grouping of the proposals as they are now. */
async function grouped(e: E2E): Promise<void> {
  const store = new ProposalStore(e.cascade.redis, e.cascade.keys);
  const deadline = Date.now() + 15_000;
  while ((await store.grouping())?.version !== (await store.version())) {
    if (Date.now() > deadline) throw new Error('the proposals were not grouped within 15 s');
    await sleep(50);
  }
}

describe.each([linear, jira])('proposals on $tracker', (pc) => {
  it('keeps one proposal per person and ticket: an edited /cascade propose replaces it', async () => {
    e2e = await startE2E();
    const ticket = pc.ticket(e2e, 'Sync engine for field tablets');
    await e2e.idle();
    const comment = pc.comment(e2e, ticket, '/cascade propose Offline mode');
    await e2e.idle();
    comment.edit('/cascade propose Offline mode for field teams');
    await e2e.idle();
    const stored = await new ProposalStore(e2e.cascade.redis, e2e.cascade.keys).list();
    expect(stored.map((p) => [p.ticketKey, p.title])).toEqual([[ticket.key, 'Offline mode for field teams']]);
    await grouped(e2e);
    expect(await admin(e2e, '/admin/proposals')).toMatchObject({ stale: false, total: 1, groups: [{ title: 'Offline mode for field teams', count: 1, tickets: [{ key: ticket.key }] }] });
  });
});

describe('proposals through the workers and the routes', () => {
  it('groups similar titles on a worker, and the routes answer the stored groups', async () => {
    e2e = await startE2E();
    const tickets = ['Tablet sync', 'Field app cache', 'Sync conflicts', 'Theme tokens'].map((title) => linear.ticket(e2e!, title));
    await e2e.idle();
    linear.comment(e2e, tickets[0]!, '/cascade propose Offline mode for field teams');
    linear.comment(e2e, tickets[1]!, '/cascade propose offline-mode');
    linear.comment(e2e, tickets[2]!, '/cascade propose Ofline mode');
    linear.comment(e2e, tickets[3]!, '/cascade propose Dark mode everywhere');
    await e2e.idle();
    await grouped(e2e);
    const review = await admin(e2e, '/admin/review');
    expect(review).toMatchObject({ proposalsTotal: 4, proposalGroups: 2, proposalsStale: false });
    expect((review.proposals as Array<{ count: number; titles: string[] }>).map((g) => [g.count, g.titles.sort()])).toEqual([
      [3, ['Offline mode for field teams', 'Ofline mode', 'offline-mode']],
      [1, ['Dark mode everywhere']],
    ]);

    // A proposal recorded without a grouping job (as if the job were still to run): the routes do not group it
    // themselves; they answer what is stored, say it is stale, and ask a worker, whose grouping they answer next.
    const store = new ProposalStore(e2e.cascade.redis, e2e.cascade.keys);
    await store.add({ title: 'Dark mode across the product', tracker: 'jira', ticketId: '10001', ticketKey: 'OPS-1', person: 'Priya Raman', at: new Date().toISOString() });
    expect(await admin(e2e, '/admin/proposals')).toMatchObject({ stale: true, total: 4, groups: [{ count: 3 }, { count: 1 }] });
    await grouped(e2e);
    expect(await admin(e2e, '/admin/proposals')).toMatchObject({ stale: false, total: 5, groups: [{ count: 3 }, { count: 2, titles: ['Dark mode everywhere', 'Dark mode across the product'] }] });
  });

  it(`keeps at most ${MAX_PROPOSALS.toLocaleString('en')} proposals: a new one drops the oldest`, async () => {
    e2e = await startE2E();
    const store = new ProposalStore(e2e.cascade.redis, e2e.cascade.keys);
    const start = Date.now() - DAY;
    await Promise.all(
      Array.from({ length: MAX_PROPOSALS }, (_, i) =>
        store.add({ title: `Idea ${i}`, tracker: 'linear', ticketId: `seed-${i}`, ticketKey: `SEED-${i}`, person: `Person ${i}`, at: new Date(start + i * 1000).toISOString() }),
      ),
    );
    const ticket = linear.ticket(e2e, 'Partner referral landing page');
    await e2e.idle();
    linear.comment(e2e, ticket, '/cascade propose Grow partner-sourced revenue');
    await e2e.idle();
    const kept = await store.list();
    expect(kept).toHaveLength(MAX_PROPOSALS);
    expect(kept.some((p) => p.ticketKey === 'SEED-0')).toBe(false);
    expect(kept[0]?.ticketKey).toBe('SEED-1');
    expect(kept.at(-1)).toMatchObject({ ticketKey: ticket.key, title: 'Grow partner-sourced revenue' });
    await grouped(e2e);
    expect(await admin(e2e, '/admin/review')).toMatchObject({ proposalsTotal: MAX_PROPOSALS });
  });
});
