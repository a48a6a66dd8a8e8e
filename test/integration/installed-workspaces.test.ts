// Cascade installed as a Linear app in two workspaces of one deployment,
// through the real receiver, queues and workers and the Linear sandboxes (one
// per workspace, each answering only its own token): webhooks are routed by
// the workspace they name, each installation has its own adapter and check
// queue, an app removal stops every read and write of that workspace, a team
// taken away is left alone, and a storm in one workspace does not hold up the
// other's checks.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingWork, waitFor } from '../support/e2e.js';
import { startInstalledE2E, testApp, type InstalledE2E, type Workspace } from '../support/installed-e2e.js';
import { checkQueueName } from '../../src/queue/job-types.js';
import { TRACKERS } from '../../src/trackers/registry.js';

let e2e: InstalledE2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

/** An issue no objective serves: its check labels it. */
function orphan(w: Workspace, title = `Export the audit trail ${randomUUID().slice(0, 8)}`, team = 'ENG'): string {
  return w.sandbox.store.createIssue({ team, title, createdAt: daysAgo(2) }).id;
}

const labelled = (w: Workspace, id: string): boolean => w.sandbox.store.labelNamesOf(id).includes('no-objective');

describe('Cascade installed in several Linear workspaces', () => {
  it("routes each workspace's webhooks to its own installation, check queue and token, and ignores a workspace that has not installed it", async () => {
    e2e = await startInstalledE2E();
    const [a, b] = e2e.workspaces as [Workspace, Workspace];
    const inA = orphan(a);
    const inB = orphan(b);
    await e2e.idle();

    // Each ticket was read and written in its own workspace, by that workspace's bot.
    expect(labelled(a, inA)).toBe(true);
    expect(labelled(b, inB)).toBe(true);
    expect(a.sandbox.store.commentsOn(inA).map((c) => c.userId)).toEqual([a.sandbox.store.bot.id]);
    expect(b.sandbox.store.commentsOn(inB).map((c) => c.userId)).toEqual([b.sandbox.store.bot.id]);
    expect((await e2e.cascade.verdicts.get('linear', inA))?.installation).toBe(a.installation);
    expect((await e2e.cascade.verdicts.get('linear', inB))?.installation).toBe(b.installation);
    // On each installation's own check queue; none on the default one (there is no API key).
    const queueA = e2e.cascade.queues.checksFor({ tracker: 'linear', installation: a.installation });
    const queueB = e2e.cascade.queues.checksFor({ tracker: 'linear', installation: b.installation });
    expect(queueA.name).toBe(`checks-linear-${a.installation}`);
    expect(queueB.name).toBe(checkQueueName({ tracker: 'linear', installation: b.installation }));
    expect(await queueA.getCompletedCount()).toBeGreaterThan(0);
    expect(await queueB.getCompletedCount()).toBeGreaterThan(0);
    expect(await e2e.cascade.queues.checks.linear.getCompletedCount()).toBe(0);
    const listed = await fetch(`${e2e.url}/admin/queues`, { headers: { authorization: `Bearer ${e2e.adminToken}` } });
    const names = ((await listed.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining([queueA.name, queueB.name]));

    // A workspace that never installed Cascade, with no API key configured: 200 ignored, nothing queued.
    const unknown = await e2e.deliver({ type: 'Issue', action: 'create', organizationId: randomUUID(), data: { id: randomUUID(), title: 'Elsewhere', teamId: randomUUID() } });
    expect(unknown).toEqual({ status: 200, body: { status: 'ignored' } });
  });

  it("stops every read and write of a workspace that removed the app, its queued check included, while the other workspace goes on", async () => {
    e2e = await startInstalledE2E();
    const [a, b] = e2e.workspaces as [Workspace, Workspace];
    await e2e.idle();
    const queueB = e2e.cascade.queues.checksFor({ tracker: 'linear', installation: b.installation });
    // A check of B waits on its queue when the removal arrives.
    await queueB.pause();
    const waiting = orphan(b);
    await waitFor(async () => (await pendingWork(queueB)) > 0, "B's check to be queued");
    const readsBefore = b.sandbox.requestCount();

    const removal = await e2e.deliver({ type: 'OAuthApp', action: 'revoked', organizationId: b.sandbox.store.organization.id, oauthClientId: 'cascade-test-app' });
    expect(removal).toEqual({ status: 200, body: { status: 'queued' } });
    await waitFor(async () => (await e2e!.store.get(b.installation))?.status === 'revoked', 'the installation to be revoked');
    await queueB.resume();
    await e2e.idle();

    // Later deliveries from B are ignored once the receiver has seen the removal (it looks every 500 ms);
    // any it queued before end without a read. Nothing of B was read or written since the removal.
    const later = orphan(b);
    await b.sandbox.flushWebhooks();
    const deliverLater = () => e2e!.deliver({ type: 'Issue', action: 'create', organizationId: b.sandbox.store.organization.id, data: { id: later, title: 'After the removal' } });
    await waitFor(async () => (await deliverLater()).body.status === 'ignored', "the receiver to ignore B's deliveries");
    expect(await deliverLater()).toEqual({ status: 200, body: { status: 'ignored' } });
    await e2e.idle();
    expect(labelled(b, waiting)).toBe(false);
    expect(labelled(b, later)).toBe(false);
    expect(b.sandbox.requestCount()).toBe(readsBefore);
    expect(await pendingWork(queueB)).toBe(0);

    // A is untouched by B's removal.
    const inA = orphan(a);
    await e2e.idle();
    expect(labelled(a, inA)).toBe(true);
  });

  it("sweeps every installation with its own adapter: each workspace's tickets read and marked there", async () => {
    // Tickets from before the install: no webhook ever named them.
    const titles = ['Quarterly invoice export for finance', 'Rewrite the onboarding emails'];
    e2e = await startInstalledE2E({ seed: (store, i) => void store.createIssue({ team: 'ENG', title: titles[i]!, createdAt: daysAgo(3) }) });
    const [a, b] = e2e.workspaces as [Workspace, Workspace];
    await e2e.idle();
    const seeded = (w: Workspace, title: string): string => [...w.sandbox.store.issues.values()].find((issue) => issue.title === title)!.id;
    const inA = seeded(a, titles[0]!);
    const inB = seeded(b, titles[1]!);
    expect(labelled(a, inA)).toBe(false);

    const recheck = await fetch(`${e2e.url}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${e2e.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ tracker: 'linear' }) });
    expect(recheck.status).toBe(202);
    expect(((await recheck.json()) as { sweepIds: string[] }).sweepIds).toHaveLength(2);
    await e2e.idle();
    expect(labelled(a, inA)).toBe(true);
    expect(labelled(b, inB)).toBe(true);
    expect((await e2e.cascade.verdicts.get('linear', inA))?.installation).toBe(a.installation);
    expect((await e2e.cascade.verdicts.get('linear', inB))?.installation).toBe(b.installation);
  });

  it('leaves alone the tickets of a team the app may no longer reach', async () => {
    e2e = await startInstalledE2E({ workspaces: 1 });
    const [a] = e2e.workspaces as [Workspace];
    await e2e.idle();
    const { store } = a.sandbox;
    const answer = await e2e.deliver({ type: 'PermissionChange', action: 'teamAccessChanged', organizationId: store.organization.id, addedTeamIds: [], removedTeamIds: [store.requireTeam('ENG').id], canAccessAllPublicTeams: true });
    expect(answer).toEqual({ status: 200, body: { status: 'queued' } });
    await waitFor(async () => (await e2e!.store.get(a.installation))?.teams?.excluded?.includes(store.requireTeam('ENG').id) === true, 'the teams in reach to be stored');

    const outOfReach = orphan(a, 'Export the audit trail to CSV', 'ENG');
    const inReach = orphan(a, 'Dark mode for the editor', 'WEB');
    await e2e.idle();
    expect(labelled(a, inReach)).toBe(true);
    expect(labelled(a, outOfReach)).toBe(false);
    expect(store.commentsOn(outOfReach)).toEqual([]);
    expect(await e2e.cascade.verdicts.get('linear', outOfReach)).toBeNull();
  });

  it("answers a workspace's checks while a storm of changes in another waits on its own queue", async () => {
    // Five checks a second per queue: the storm's forty take eight seconds.
    e2e = await startInstalledE2E({ env: { CASCADE_CHECKS_PER_SECOND: '5' } });
    const [a, b] = e2e.workspaces as [Workspace, Workspace];
    await e2e.idle();
    const storm = Array.from({ length: 40 }, (_, i) => orphan(a, `Storm ticket ${i} ${randomUUID().slice(0, 8)}`));
    const queueA = e2e.cascade.queues.checksFor({ tracker: 'linear', installation: a.installation });
    await a.sandbox.flushWebhooks();
    await waitFor(async () => (await pendingWork(queueA)) >= 30, "the storm's checks to be queued");

    const calm = orphan(b);
    await waitFor(async () => (await e2e!.cascade.verdicts.get('linear', calm)) !== null, "B's check", 20_000);
    // B's ticket was checked while most of the storm still waited its turn.
    const stormDone = (await Promise.all(storm.map((id) => e2e!.cascade.verdicts.get('linear', id)))).filter((r) => r !== null).length;
    expect(labelled(b, calm)).toBe(true);
    expect(stormDone).toBeLessThan(storm.length / 2);
    await e2e.idle();
    expect(storm.every((id) => labelled(a, id))).toBe(true);
  });
});

describe('a delivery the receiver routed before it knew the installation', () => {
  it("is checked by the installation of the workspace it names, with that workspace's token", async () => {
    e2e = await startInstalledE2E();
    const [a] = e2e.workspaces as [Workspace];
    const record = await e2e.store.get(a.installation);
    const id = orphan(a);
    await e2e.idle();
    // The next delivery comes without an installation, as the receiver routes one from a workspace
    // installed a moment before its map of installations was read again.
    const normalised = TRACKERS.linear.webhook.normalise({ type: 'Issue', action: 'update', organizationId: record!.workspace.id, data: { id, title: 'Export the audit trail', teamId: randomUUID() }, updatedFrom: { projectId: null } });
    if (!('event' in normalised)) throw new Error('not an event');
    const before = await e2e.cascade.queues.checksFor({ tracker: 'linear', installation: a.installation }).getCompletedCount();
    await e2e.cascade.runtimes.of('default').inbox!.accept({ tracker: 'linear', deliveryId: randomUUID(), receivedAt: new Date().toISOString(), event: normalised.event });
    await waitFor(async () => (await e2e!.cascade.queues.checksFor({ tracker: 'linear', installation: a.installation }).getCompletedCount()) > before, "a check on the workspace's own queue");
    await e2e.idle();
    expect(await e2e.cascade.queues.checks.linear.getCompletedCount()).toBe(0);
    expect((await e2e.cascade.verdicts.get('linear', id))?.installation).toBe(a.installation);
  });
});

describe('an installation whose refresh token the tracker refused', () => {
  it("pauses that workspace's checks until an admin connects it again, then runs them", async () => {
    // The stored access token has expired and the tracker refuses its refresh token.
    e2e = await startInstalledE2E({ workspaces: 1, tokens: (accessToken) => ({ accessToken, grant: 'authorization_code', refreshToken: 'dead', expiresAt: new Date(Date.now() - 60_000).toISOString(), lifetimeMs: DAY }) });
    const [a] = e2e.workspaces as [Workspace];
    const { store } = a.sandbox;
    testApp.refuseRefresh.add(store.organization.id);
    const queue = e2e.cascade.queues.checksFor({ tracker: 'linear', installation: a.installation });
    const issue = orphan(a);
    await waitFor(async () => (await e2e!.store.get(a.installation))?.status === 'needs_reauth', 'the installation to need a new consent');
    await waitFor(() => queue.isPaused(), 'its check queue to pause');
    await waitFor(async () => (await queue.getJobs(['paused', 'wait', 'delayed'])).some((j) => j.data.ticketId === issue), "the issue's check to wait on the paused queue");
    expect(labelled(a, issue)).toBe(false);

    // The admin connects the workspace again, through the install routes.
    testApp.refuseRefresh.clear();
    testApp.nextConsent.push({ workspace: { id: store.organization.id, name: store.organization.name }, actorId: store.bot.id, tokens: { accessToken: a.sandbox.apiKey, grant: 'authorization_code' } });
    const begun = await fetch(`${e2e.url}/admin/installs/linear`, { method: 'POST', headers: { authorization: `Bearer ${e2e.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(begun.status).toBe(200);
    const state = new URL(((await begun.json()) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state') ?? '';
    const callback = await fetch(`${e2e.url}/oauth/linear/callback?code=consented&state=${encodeURIComponent(state)}`);
    expect(callback.status).toBe(200);
    expect((await e2e.store.get(a.installation))?.status).toBe('active');
    expect(await queue.isPaused()).toBe(false);
    await waitFor(() => labelled(a, issue), 'the waiting check to run', 15_000);
  });
});
