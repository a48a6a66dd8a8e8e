// Cascade installed as a Jira Cloud OAuth 2.0 (3LO) app, through the real
// routes, against the Jira sandbox playing Atlassian's authorization server and
// API gateway: the consent per site, the dynamic webhook and its JWT-signed
// deliveries, writes as the consenting account through /ex/jira/{cloudId}, the
// keeper that refreshes and re-registers webhooks, one refresh of a rotating
// refresh token across processes, and the disconnect.
import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { Queue } from 'bullmq';
import { APP_WEBHOOKS_QUEUE } from '../../cli/start-workers.js';
import { CONSENTER, LAB_CLOUD_ID, startJiraAppHarness, type JiraAppHarness } from '../support/jira-app-harness.js';
import { waitFor } from '../support/e2e.js';
import { exampleConfig } from '../support/example-config.js';
import { signDeliveryJwt } from '../../sandbox/jira/index.js';
import { payloadsFor } from '../../sandbox/jira/webhooks.js';
import { adfToText } from '../../src/trackers/jira/adf-text.js';
import { createJiraClient } from '../../src/trackers/jira/jira-client.js';
import type { ListedInstallation, TokenSet } from '../../src/records/installation.js';
import type { QueuedDelivery } from '../../src/records/event-schema.js';

const DAY_MS = 24 * 3600_000;
const PERSON = '712020:priya';

let harness: JiraAppHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function installed(): Promise<JiraAppHarness> {
  harness = await startJiraAppHarness();
  const { page } = await harness.install();
  expect(page.status).toBe(200);
  return harness;
}

async function listed(h: JiraAppHarness): Promise<ListedInstallation[]> {
  return (await (await h.admin('GET', '/admin/installs')).json()) as ListedInstallation[];
}

/** The queued deliveries in the receiver's inbox. */
async function inbox(h: JiraAppHarness): Promise<QueuedDelivery[]> {
  const raw = await h.redis.lrange(h.cascade.keys.inbox, 0, -1);
  return raw.map((entry) => JSON.parse(entry) as QueuedDelivery);
}

function jwt(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part(claims)}`;
  return `${unsigned}.${header.alg === 'none' ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('Installing Cascade as a Jira app', () => {
  it('answers an authorize URL for Atlassian with the audience, the scopes, a one-use state and prompt=consent', async () => {
    harness = await startJiraAppHarness();
    const first = (await (await harness.admin('POST', '/admin/installs/jira', {})).json()) as { authorizeUrl: string };
    const second = (await (await harness.admin('POST', '/admin/installs/jira', {})).json()) as { authorizeUrl: string };
    const url = new URL(first.authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${harness.sandbox.baseUrl}/authorize`);
    expect(url.searchParams.get('audience')).toBe('api.atlassian.com');
    expect(url.searchParams.get('client_id')).toBe(harness.clientId);
    expect(url.searchParams.get('scope')).toBe('read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access');
    expect(url.searchParams.get('redirect_uri')).toBe(`${harness.url}/oauth/jira/callback`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(new URL(second.authorizeUrl).searchParams.get('state')).not.toBe(url.searchParams.get('state'));
  });

  it('stores one installation per site of the consent, acting as the consenting account, each with its dynamic webhook', async () => {
    const h = await installed();
    const sites = [h.sandbox.cloudId, LAB_CLOUD_ID];
    const list = await listed(h);
    expect(list.map((i) => i.workspace.id).sort()).toEqual([...sites].sort());
    for (const cloudId of sites) {
      const record = await h.record(cloudId);
      expect(record).toMatchObject({ tracker: 'jira', tenant: 'default', status: 'active', actorId: CONSENTER.accountId });
      expect(record.statusReason).toBeUndefined();
      expect(Date.parse(record.refreshChainEndsAt!) - Date.parse(record.installedAt)).toBeGreaterThan(364 * DAY_MS);
      const webhooks = h.sandbox.dynamicWebhooks.list(cloudId);
      expect(webhooks).toHaveLength(1);
      expect(webhooks[0]).toMatchObject({ url: `${h.url}/webhooks/jira/${record.id}`, jqlFilter: 'project IN (ENT, OPS, API, MOB)', accountId: CONSENTER.accountId });
      expect(webhooks[0]!.events).toEqual(expect.arrayContaining(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted']));
      expect(record.webhook).toEqual({ ids: [webhooks[0]!.id], url: webhooks[0]!.url, expiresAt: new Date(webhooks[0]!.expiresAt).toISOString() });
      expect(list.find((i) => i.workspace.id === cloudId)?.webhook?.expiresAt).toBe(record.webhook?.expiresAt);
    }
    // Tokens are sealed: Redis holds none in plain text.
    const tokens = JSON.parse(h.box.open((await h.record(LAB_CLOUD_ID)).sealedTokens)) as TokenSet;
    expect(await h.redis.hget(h.installs.keys.records, (await h.record(LAB_CLOUD_ID)).id)).not.toContain(tokens.refreshToken);
  });

  it('filters the webhook with project != EMPTY when the config names no projects', async () => {
    const config = exampleConfig();
    delete config.rules!.scope;
    harness = await startJiraAppHarness({ config });
    await harness.install();
    expect(harness.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID).map((w) => w.jqlFilter)).toEqual(['project != EMPTY']);
  });

  it('serves a site installed for a tenant in that tenant: its webhook filtered by the tenant\'s scope (at install and by the keeper), its tickets checked by the tenant\'s workers', async () => {
    harness = await startJiraAppHarness();
    const h = harness;
    expect((await h.admin('POST', '/admin/tenants', { id: 'acme' })).status).toBe(201);
    const config = exampleConfig();
    config.rules!.scope = { ...config.rules!.scope, jira: { projects: ['LAB'] } };
    expect((await h.admin('PUT', '/admin/config', config, { 'cascade-tenant': 'acme', 'if-match': '"0"' })).status).toBe(200);
    const { page } = await h.install({ tenant: 'acme' });
    expect(page.status).toBe(200);
    const lab = await h.record(LAB_CLOUD_ID);
    expect(lab.tenant).toBe('acme');
    expect(lab.statusReason).toBeUndefined();
    expect(h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID).map((w) => w.jqlFilter)).toEqual(['project IN (LAB)']);

    // Jira dropped it: the daily keeper of the running workers registers it again, with acme's scope still.
    h.sandbox.dynamicWebhooks.remove(lab.webhook!.ids[0]!);
    await h.startWorkers({});
    const keeperQueue = new Queue(APP_WEBHOOKS_QUEUE, { connection: h.redis, prefix: h.prefix });
    await keeperQueue.add('keep-now', {});
    await keeperQueue.close();
    await waitFor(async () => (await h.record(LAB_CLOUD_ID)).webhook?.ids.join() !== lab.webhook!.ids.join(), 'the webhook registered again', 15_000);
    expect(h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID).map((w) => w.jqlFilter)).toEqual(['project IN (LAB)']);

    // A delivery of the site goes to acme's workers, which check it with acme's tree and the site's own adapter.
    h.labStore.createUser({ accountId: PERSON, displayName: 'Priya Natarajan', email: 'priya@acme.example', accountType: 'atlassian' });
    const story = h.labStore.createIssue({ project: 'LAB', type: 'Story', summary: 'Try the new search index', createdAt: Date.now() - 2 * DAY_MS, actor: PERSON });
    const acmeVerdicts = h.cascade.runtimes.of('acme').verdicts;
    // The verdict is recorded once the writes are made: wait for all three.
    await waitFor(async () => h.labStore.labels(story.key).includes('no-objective') && h.labStore.comments(story.key).length > 0 && (await acmeVerdicts.get('jira', story.id)) !== null, 'the orphan label, comment and verdict on the acme site', 15_000);
    expect(h.labStore.comments(story.key).map((c) => c.authorId)).toEqual([CONSENTER.accountId]);
    expect(await acmeVerdicts.get('jira', story.id)).toMatchObject({ verdict: 'orphan' });
    expect(await h.cascade.verdicts.get('jira', story.id)).toBeNull();
  });

  it('reports a webhook Jira refused inside its 200 answer on the installation, instead of ignoring it', async () => {
    harness = await startJiraAppHarness();
    // Jira keeps at most five webhooks per app and user on a site: fill them, as the same app and account.
    await harness.install();
    const lab = await harness.record(LAB_CLOUD_ID);
    const client = createJiraClient(`${harness.sandbox.baseUrl}/ex/jira/${LAB_CLOUD_ID}`, { tokens: harness.tokenSource(lab.id) }, 10_000);
    for (let i = 0; i < 4; i++) await client.webhooks.registerDynamicWebhooks({ url: 'https://elsewhere.example/hook', webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = LAB' }] });
    expect(harness.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID)).toHaveLength(5);

    // Consenting again re-registers the webhook: the old one goes first, so this one fits.
    await harness.install();
    expect((await harness.record(LAB_CLOUD_ID)).statusReason).toBeUndefined();
    await client.webhooks.registerDynamicWebhooks({ url: 'https://elsewhere.example/hook', webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = LAB' }] });
    // Now the five are someone else's: Jira answers 200 with the refusal inside.
    for (const id of (await harness.record(LAB_CLOUD_ID)).webhook!.ids) harness.sandbox.dynamicWebhooks.remove(id);
    await client.webhooks.registerDynamicWebhooks({ url: 'https://elsewhere.example/hook', webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = LAB' }] });
    const { page } = await harness.install();
    expect(page.status).toBe(200);
    const reason = (await listed(harness)).find((i) => i.workspace.id === LAB_CLOUD_ID)?.statusReason;
    expect(reason).toContain('webhook could not be set up');
    expect(reason).toContain('maximum of 5 webhooks');
  });
});

describe('Deliveries to the Jira app', () => {
  it('queues a JWT-signed delivery for its installation, and its check writes as the consenting account through /ex/jira/{cloudId}', async () => {
    const h = await installed();
    const site = await h.record(h.sandbox.cloudId);
    const story = h.sandbox.store.createIssue({ project: 'OPS', type: 'Story', summary: 'Speed up the dashboard page load', createdAt: Date.now() - 2 * DAY_MS, actor: PERSON });
    await h.sandbox.flushWebhooks();
    const delivery = h.sandbox.dynamicWebhooks.log.find((d) => d.webhookEvent === 'jira:issue_created');
    expect(delivery).toMatchObject({ status: 200, url: `${h.url}/webhooks/jira/${site.id}?triggeredByUser=${encodeURIComponent(PERSON)}` });
    const queued = (await inbox(h)).filter((q) => q.event.kind === 'ticket' && q.event.ticketId === story.id);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ tracker: 'jira', installation: site.id, deliveryId: delivery!.identifier });

    // Workers with no Jira credentials of their own: the queued delivery is checked with this installation's adapter.
    await h.startWorkers({});
    // Workers of a deployment with app installs keep the webhooks alive daily.
    const keeperQueue = new Queue(APP_WEBHOOKS_QUEUE, { connection: h.redis, prefix: h.prefix });
    expect((await keeperQueue.getJobSchedulers()).map((s) => s.key)).toEqual(['keep-app-webhooks']);
    await keeperQueue.close();
    await waitFor(() => h.sandbox.store.labels(story.key).includes('no-objective') && h.sandbox.store.comments(story.key).length > 0, 'the orphan label and comment', 15_000);
    const comments = h.sandbox.store.comments(story.key);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.authorId).toBe(CONSENTER.accountId);
    expect(adfToText(comments[0]!.body)).toContain('OPS-10');
    expect(h.sandbox.store.changelog(story.key).at(-1)?.authorId).toBe(CONSENTER.accountId);
    const writes = h.sandbox.requests().filter((r) => r.method !== 'GET' && r.url.includes(`/issue/${story.key}`));
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.url.startsWith(`/ex/jira/${site.workspace.id}/rest/api/3/`)).toBe(true);
  });

  it('refuses a forged, an expired, an unsigned or a missing JWT with 401, and ignores an unknown installation', async () => {
    const h = await installed();
    const site = await h.record(h.sandbox.cloudId);
    const story = h.sandbox.store.withoutWebhooks(() => h.sandbox.store.createIssue({ project: 'OPS', type: 'Story', summary: 'Forged', actor: PERSON }));
    const [payload] = payloadsFor(h.sandbox.store, h.sandbox.baseUrl, { kind: 'issue_created', issue: story, actorId: PERSON });
    const now = Math.floor(Date.now() / 1000);
    const post = (authorization: string | undefined, id = site.id, identifier = `id-${Math.random()}`): Promise<Response> =>
      fetch(`${h.url}/webhooks/jira/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': identifier, ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(payload),
      });
    const statusOf = async (res: Promise<Response>): Promise<[number, unknown]> => {
      const answer = await res;
      return [answer.status, await answer.json()];
    };
    const valid = `Bearer ${signDeliveryJwt(h.clientSecret, { iss: h.clientId, iat: now, exp: now + 180 })}`;
    expect((await statusOf(post(`Bearer ${jwt('not-the-secret', { iss: h.clientId, iat: now, exp: now + 180 })}`)))[0]).toBe(401);
    expect((await statusOf(post(`Bearer ${jwt(h.clientSecret, { iss: h.clientId, iat: now - 900, exp: now - 600 })}`)))[0]).toBe(401);
    expect((await statusOf(post(`Bearer ${jwt(h.clientSecret, { iss: h.clientId, iat: now, exp: now + 180 }, { alg: 'none', typ: 'JWT' })}`)))[0]).toBe(401);
    expect((await statusOf(post(undefined)))[0]).toBe(401);
    expect(await inbox(h)).toEqual([]);

    expect(await statusOf(post(valid, 'jir_not-an-installation'))).toEqual([200, { status: 'ignored' }]);
    expect(await statusOf(post(valid, site.id, 'same-delivery'))).toEqual([200, { status: 'queued' }]);
    expect(await statusOf(post(valid, site.id, 'same-delivery'))).toEqual([200, { status: 'duplicate' }]);
    // The same bytes replayed under another identifier, with a JWT still good: the same event, taken once.
    expect(await statusOf(post(valid, site.id, 'a-new-identifier'))).toEqual([200, { status: 'duplicate' }]);
    expect((await inbox(h)).map((q) => q.installation)).toEqual([site.id]);
    const counted = (await h.cascade.metrics.deliveries.get()).values.filter((v) => v.labels.tracker === 'jira');
    expect(Object.fromEntries(counted.map((v) => [v.labels.outcome, v.value]))).toEqual({ unauthorised: 4, ignored: 1, queued: 1, duplicate: 2 });
  });
});

describe('The webhook keeper', () => {
  it('refreshes a webhook that ends within 10 days, and leaves a younger one alone', async () => {
    const h = await installed();
    const before = await h.record(LAB_CLOUD_ID);
    await h.keep();
    expect((await h.record(LAB_CLOUD_ID)).webhook?.expiresAt).toBe(before.webhook?.expiresAt);

    // 25 days on, for Jira and for Cascade.
    h.sandbox.clock.advance(25 * DAY_MS);
    const outcome = await h.keep({ aheadMs: 25 * DAY_MS });
    expect(outcome).toMatchObject({ kept: 2, failed: 0 });
    const after = await h.record(LAB_CLOUD_ID);
    const [webhook] = h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID);
    expect(webhook!.expiresAt).toBeGreaterThan(h.sandbox.clock.now() + 29 * DAY_MS);
    expect(after.webhook).toEqual({ ...before.webhook, expiresAt: new Date(webhook!.expiresAt).toISOString() });
    expect(Date.parse(after.webhook!.expiresAt!) - Date.parse(before.webhook!.expiresAt!)).toBeGreaterThan(24 * DAY_MS);
  });

  it('registers a webhook again when Jira no longer lists it', async () => {
    const h = await installed();
    const before = await h.record(LAB_CLOUD_ID);
    h.sandbox.dynamicWebhooks.remove(before.webhook!.ids[0]!);
    await h.keep();
    const after = await h.record(LAB_CLOUD_ID);
    const listed = h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID);
    expect(listed).toHaveLength(1);
    expect(after.webhook?.ids).toEqual([listed[0]!.id]);
    expect(after.webhook?.ids).not.toEqual(before.webhook?.ids);
    expect(listed[0]).toMatchObject({ url: `${h.url}/webhooks/jira/${after.id}`, jqlFilter: 'project IN (ENT, OPS, API, MOB)' });
    // And deliveries arrive again.
    h.labStore.createIssue({ project: 'LAB', type: 'Story', summary: 'Not in scope: filtered by Jira', actor: CONSENTER.accountId });
    const story = h.sandbox.store.createIssue({ project: 'ENT', type: 'Story', summary: 'Delivered again', actor: PERSON });
    await h.sandbox.flushWebhooks();
    expect(h.sandbox.dynamicWebhooks.log.filter((d) => d.webhookId === listed[0]!.id)).toEqual([]);
    await waitFor(async () => (await inbox(h)).some((q) => q.event.kind === 'ticket' && q.event.ticketId === story.id), 'the delivery of the main site');
  });

  it('registers the webhook again at the new address when PUBLIC_URL moved', async () => {
    const h = await installed();
    const before = await h.record(LAB_CLOUD_ID);
    await h.keep({ env: { ...h.env, publicUrl: 'https://cascade.example.com/' } });
    const after = await h.record(LAB_CLOUD_ID);
    const listed = h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID);
    expect(listed.map((w) => w.url)).toEqual([`https://cascade.example.com/webhooks/jira/${before.id}`]);
    expect(after.webhook).toMatchObject({ ids: [listed[0]!.id], url: listed[0]!.url });
    expect(after.webhook?.ids).not.toEqual(before.webhook?.ids);
  });

  it('an expired webhook stops delivering without a word', async () => {
    const h = await installed();
    h.sandbox.clock.advance(31 * DAY_MS);
    h.sandbox.store.createIssue({ project: 'ENT', type: 'Story', summary: 'Nobody hears of this', actor: PERSON });
    await h.sandbox.flushWebhooks();
    expect(h.sandbox.dynamicWebhooks.log).toEqual([]);
  });

  it('refreshes a rotating refresh token exactly once when keepers in several processes are refused the ended access token', async () => {
    harness = await startJiraAppHarness();
    const h = harness;
    h.sandbox.oauth.consentAs(CONSENTER.accountId, [h.sandbox.cloudId]);
    await h.install();
    const before = JSON.parse(h.box.open((await h.record(h.sandbox.cloudId)).sealedTokens)) as TokenSet;
    // The hour is over at Atlassian: three processes each get a 401 for the same token at once.
    h.sandbox.clock.advance(61 * 60_000);
    const outcomes = await Promise.all([1, 2, 3].map(() => h.keep()));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kept: 1, failed: 0 });
    const after = JSON.parse(h.box.open((await h.record(h.sandbox.cloudId)).sealedTokens)) as TokenSet;
    expect(h.sandbox.oauth.refreshRequests()).toBe(1);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.chainStartedAt).toBe(before.chainStartedAt);
    expect((await h.record(h.sandbox.cloudId)).status).toBe('active');
  });

  it('keeps the sites of one consent on its one rotating refresh-token chain', async () => {
    const h = await installed();
    const [main, lab] = [await h.record(h.sandbox.cloudId), await h.record(LAB_CLOUD_ID)];
    const myself = (id: string, cloudId: string) => createJiraClient(`${h.sandbox.baseUrl}/ex/jira/${cloudId}`, { tokens: h.tokenSource(id) }, 10_000).myself.getCurrentUser();
    // The main site refreshes (its token refused after the hour), long before the other site is used again.
    h.sandbox.clock.advance(61 * 60_000);
    expect((await myself(main.id, h.sandbox.cloudId)).accountId).toBe(CONSENTER.accountId);
    h.sandbox.clock.advance(2 * 3600_000);
    expect((await myself(lab.id, LAB_CLOUD_ID)).accountId).toBe(CONSENTER.accountId);
    expect((await listed(h)).map((i) => i.status)).toEqual(['active', 'active']);
    expect(h.sandbox.oauth.refreshCount()).toBe(2);
  });

  it('warns 30 days before the consent’s 365-day end, in the log and in GET /admin/installs', async () => {
    const h = await installed();
    await h.keep();
    expect((await listed(h)).every((i) => i.statusReason === undefined)).toBe(true);
    await h.keep({ aheadMs: 340 * DAY_MS });
    const list = await listed(h);
    expect(list).toHaveLength(2);
    for (const installation of list) expect(installation.statusReason).toMatch(/the consent ends on \d{4}-\d{2}-\d{2} \(in 2[45] days/);
  });
});

describe('Disconnecting the Jira app', () => {
  it('deletes the webhooks at Jira, and later deliveries to its URL are ignored', async () => {
    const h = await installed();
    const site = await h.record(h.sandbox.cloudId);
    const answer = await h.admin('DELETE', `/admin/installs/${site.id}`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as ListedInstallation).status).toBe('revoked');
    expect(h.sandbox.dynamicWebhooks.list(h.sandbox.cloudId)).toEqual([]);
    expect(h.sandbox.dynamicWebhooks.list(LAB_CLOUD_ID)).toHaveLength(1);

    h.sandbox.store.createIssue({ project: 'ENT', type: 'Story', summary: 'After the disconnect', actor: PERSON });
    await h.sandbox.flushWebhooks();
    expect(h.sandbox.dynamicWebhooks.log).toEqual([]);
    const now = Math.floor(Date.now() / 1000);
    const late = await fetch(`${h.url}/webhooks/jira/${site.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': 'late', authorization: `Bearer ${signDeliveryJwt(h.clientSecret, { iss: h.clientId, iat: now, exp: now + 180 })}` },
      body: JSON.stringify({ webhookEvent: 'jira:issue_updated', timestamp: Date.now() }),
    });
    expect([late.status, await late.json()]).toEqual([200, { status: 'ignored' }]);
  });

  it('refreshes an ended access token before deleting the webhooks, keeping the other site of the consent working', async () => {
    harness = await startJiraAppHarness({ cascadeAheadMs: 61 * 60_000 });
    const h = harness;
    await h.install();
    const [main, lab] = [await h.record(h.sandbox.cloudId), await h.record(LAB_CLOUD_ID)];
    h.sandbox.clock.advance(61 * 60_000);
    expect((await h.admin('DELETE', `/admin/installs/${main.id}`)).status).toBe(200);
    expect(h.sandbox.dynamicWebhooks.list(h.sandbox.cloudId)).toEqual([]);
    expect(h.sandbox.oauth.refreshCount()).toBe(1);
    // Past the reuse leeway of the token the main site used: the other site holds the new pair.
    h.sandbox.clock.advance(20 * 60_000);
    const client = createJiraClient(`${h.sandbox.baseUrl}/ex/jira/${LAB_CLOUD_ID}`, { tokens: h.tokenSource(lab.id) }, 10_000);
    expect((await client.myself.getCurrentUser()).accountId).toBe(CONSENTER.accountId);
    expect((await h.record(LAB_CLOUD_ID)).status).toBe('active');
  });
});

describe('The sandbox as Atlassian', () => {
  it('serves dynamic webhooks to apps only, and refuses an empty or unsupported filter inside its 200 answer', async () => {
    const h = await installed();
    const basic = `Basic ${Buffer.from('cascade-bot@example.com:sandbox-api-token').toString('base64')}`;
    const byApiToken = await fetch(`${h.sandbox.baseUrl}/rest/api/3/webhook`, { headers: { authorization: basic } });
    expect(byApiToken.status).toBe(403);
    expect(JSON.stringify(await byApiToken.json())).toContain('Only Connect and OAuth 2.0 apps can access this resource');

    const lab = await h.record(LAB_CLOUD_ID);
    const client = createJiraClient(`${h.sandbox.baseUrl}/ex/jira/${LAB_CLOUD_ID}`, { tokens: h.tokenSource(lab.id) }, 10_000);
    const answer = await client.webhooks.registerDynamicWebhooks({
      url: 'https://elsewhere.example/hook',
      webhooks: [
        { events: ['jira:issue_created'], jqlFilter: '' },
        { events: ['jira:issue_created'], jqlFilter: 'summary ~ "x"' },
        { events: ['jira:issue_created'], jqlFilter: 'project = LAB' },
      ],
    });
    const results = answer.webhookRegistrationResult ?? [];
    expect(results[0]?.errors?.[0]).toMatch(/cannot be empty/);
    expect(results[1]?.errors?.length).toBe(1);
    expect(typeof results[2]?.createdWebhookId).toBe('number');
  });

  it('ends a refresh token unused for 90 days', async () => {
    const h = await installed();
    h.sandbox.clock.advance(91 * DAY_MS);
    await h.keep();
    const list = await listed(h);
    expect(list.map((i) => i.status)).toEqual(['needs_reauth', 'needs_reauth']);
    expect(list[0]!.statusReason).toContain('unused for 90 days');
  });

  it('ends a refresh-token chain 365 days after the consent: the installation then needs a new consent', async () => {
    harness = await startJiraAppHarness();
    const h = harness;
    h.sandbox.oauth.consentAs(CONSENTER.accountId, [h.sandbox.cloudId]);
    await h.install();
    // Refreshed every 61 days (never 90 days idle): the chain still ends on day 365.
    // (Cascade's clock stays: each run's first call is refused with 401 and refreshes once.)
    for (let days = 61; days < 365; days += 61) {
      h.sandbox.clock.advance(61 * DAY_MS);
      await h.keep();
      expect((await listed(h)).map((i) => i.status)).toEqual(['active']);
    }
    h.sandbox.clock.advance(61 * DAY_MS);
    await h.keep();
    const list = await listed(h);
    expect(list.map((i) => i.status)).toEqual(['needs_reauth']);
    expect(list[0]!.statusReason).toContain('invalid_grant');
    expect(list[0]!.statusReason).toContain('365 days');
    expect(h.sandbox.oauth.refreshCount()).toBe(5);
  });
});
