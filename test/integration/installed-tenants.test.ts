// Cascade installed as a Linear app for two tenants, end to end, as an operator
// and a customer would run it: no API key anywhere, two workspaces of the Linear
// sandbox installed through the real routes (POST /admin/installs/linear, the
// sandbox's consent, the callback), the sandbox sending every change as Linear's
// app webhooks signed with the app's one secret, the real receiver routing each
// by its organizationId to its installation's tenant, and each tenant's real
// workers checking it with that tenant's tree and that installation's token.
// Then what each tenant sees of the other, a removal of the app from one
// workspace, and an admin's disconnect of the other.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Job } from 'bullmq';
import { readEnvironment } from '../../src/config/environment.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { freePort } from '../../cli/redis-server.js';
import { buildLinearDelivery, envelopeFor, startLinearSandbox, type LinearSandbox } from '../../sandbox/linear/index.js';
import type { SandboxWorkspace } from '../../sandbox/linear/workspaces.js';
import type { LinearStore } from '../../sandbox/linear/store.js';
import { tenantPrefix } from '../../src/tenants/tenant-ids.js';
import { Inbox } from '../../src/queue/inbox.js';
import { checkQueueName } from '../../src/queue/job-types.js';
import type { ListedInstallation } from '../../src/records/installation.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { exampleConfig } from '../support/example-config.js';
import { deleteKeysUnder, testPrefix } from '../support/test-prefix.js';
import { pendingWork, settle, waitFor } from '../support/e2e.js';

const redisUrl = inject('redisUrl');
const OPERATOR = `operator-${randomUUID()}`;
const DIGEST_TOKEN = `digest-${randomUUID()}`;
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();
/** Acme's own orphan label: its checks follow its tree, not the default one. */
const ACME_ORPHAN = 'acme-unaligned';

interface Running {
  cascade: RunningCascade;
  url: string;
  prefix: string;
  linear: LinearSandbox;
  secret: string;
  /** Workspace A (the default tenant's) and B (acme's). */
  a: SandboxWorkspace;
  b: SandboxWorkspace;
}

let running: Running | undefined;
afterEach(async () => {
  if (!running) return;
  const { cascade, linear, prefix } = running;
  running = undefined;
  await cascade.close();
  await linear.close();
  await deleteKeysUnder(tenantPrefix(prefix, 'acme'));
  await deleteKeysUnder(tenantPrefix(prefix, 'tenants'));
  await deleteKeysUnder(tenantPrefix(prefix, 'installs'));
});

const engTeam = (store: LinearStore): void => void store.createTeam({ key: 'ENG', name: 'Engineering' });

async function start(): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secret = randomUUID();
  const linear = await startLinearSandbox({ seed: engTeam, appWebhook: { url: `${url}/webhooks/linear`, secret } });
  const b = linear.addWorkspace({ name: 'Acme Field Services', urlKey: 'acme-field', seed: engTeam });
  const a = linear.workspaces()[0]!;
  const prefix = testPrefix('installed-tenants');
  const env = readEnvironment({
    PUBLIC_URL: url,
    CASCADE_QUIET_MS: '150',
    ADMIN_TOKEN: `ops:${OPERATOR}`,
    DIGEST_TOKEN,
    CASCADE_SECRET_KEY: randomBytes(32).toString('hex'),
    LINEAR_CLIENT_ID: linear.oauth.clientId,
    LINEAR_CLIENT_SECRET: linear.oauth.clientSecret,
    LINEAR_WEBHOOK_SECRET: secret,
    LINEAR_AUTHORIZE_URL: linear.oauth.authorizeUrl,
    LINEAR_TOKEN_URL: linear.oauth.tokenUrl,
    LINEAR_API_URL: linear.apiUrl,
  });
  const cascade = await startCascade({
    role: 'all', env, redisUrl, logger: pino({ level: 'silent' }),
    // No API key: every workspace is an installation.
    trackers: {},
    seedConfig: exampleConfig(),
    prefix,
    installationPollMs: 100,
    tenantPollMs: 100,
    checkOffThread: false,
  });
  await cascade.app!.listen({ port, host: '127.0.0.1' });
  running = { cascade, url, prefix, linear, secret, a, b };
  return running;
}

function call(r: Running, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  return r.cascade.app!.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
}

/** An admin installs the app: POST /admin/installs/linear, the consent in the browser (the sandbox consents for `workspace`), Cascade's callback page. */
async function install(r: Running, workspace: SandboxWorkspace, token: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ListedInstallation> {
  const begun = await call(r, 'POST', '/admin/installs/linear', token, { body: options.body ?? {}, headers: options.headers });
  expect(begun.statusCode).toBe(200);
  r.linear.consentTo(workspace.id);
  const consent = await fetch(begun.json<{ authorizeUrl: string }>().authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const page = await fetch(consent.headers.get('location')!);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(workspace.store.organization.name);
  const listed = (await call(r, 'GET', '/admin/installs', OPERATOR)).json<ListedInstallation[]>();
  const made = listed.find((i) => i.workspace.id === workspace.id);
  expect(made).toMatchObject({ tracker: 'linear', status: 'active' });
  return made!;
}

/** The tokens the sandbox saw used in a workspace (the app's, after the consent). */
function tokensUsedIn(r: Running, workspace: SandboxWorkspace): Set<string> {
  return new Set(r.linear.accessLog({ workspaceId: workspace.id }).map((e) => e.token));
}

/** Resolves once every app webhook is delivered and both tenants' inboxes and queues, each installation's check queue too, stay empty. */
async function idle(r: Running, installations: string[]): Promise<void> {
  await settle({
    flush: () => r.linear.flushWebhooks(),
    busy: async () => {
      const counts: Array<Promise<number>> = [];
      for (const tenant of ['default', 'acme']) {
        if (tenant !== 'default' && !(await r.cascade.tenants.exists(tenant))) continue;
        const runtime = r.cascade.runtimes.of(tenant);
        counts.push(new Inbox(r.cascade.redis, runtime.keys).length());
        const checks = installations.map((installation) => runtime.queues.checksFor({ tracker: 'linear', installation }));
        counts.push(...[runtime.queues.events, runtime.queues.checks.linear, ...checks, runtime.queues.fanout, runtime.queues.sweeps].map(pendingWork));
      }
      return Promise.all(counts);
    },
  });
}

/** The example tree with its own first objective and orphan label: acme's. */
function acmeConfig(): CascadeConfig {
  const config = exampleConfig();
  config.objectives[0]!.title = 'Acme: win the field-service market';
  config.rules!.labels = { ...config.rules!.labels!, orphan: ACME_ORPHAN };
  return config;
}

async function digestOf(r: Running, token: string, query = ''): Promise<string> {
  let body = '';
  await waitFor(async () => {
    const answer = await call(r, 'GET', `/digest.json${query}`, token);
    if (answer.statusCode !== 200) return false;
    body = answer.body;
    return true;
  }, 'the digest', 15_000);
  return body;
}

/** Every key starting with `prefix`, with its value as text: where a leak would show. */
async function everythingUnder(prefix: string): Promise<Map<string, string>> {
  const redis = new Redis(redisUrl);
  try {
    const found = new Map<string, string>();
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      for (const key of batch) {
        const type = await redis.type(key);
        let text = '';
        if (type === 'string') text = (await redis.get(key)) ?? '';
        else if (type === 'hash') text = JSON.stringify(await redis.hgetall(key));
        else if (type === 'list') text = JSON.stringify(await redis.lrange(key, 0, -1));
        else if (type === 'set') text = JSON.stringify(await redis.smembers(key));
        else if (type === 'zset') text = JSON.stringify(await redis.zrange(key, 0, -1));
        else if (type === 'stream') text = JSON.stringify(await redis.xrange(key, '-', '+'));
        found.set(key, `${key}\n${text}`);
      }
    }
    return found;
  } finally {
    redis.disconnect();
  }
}

/** The keys among `all` whose name or value holds `needle`. */
const holding = (all: Map<string, string>, needle: string): string[] => [...all].filter(([, text]) => text.includes(needle)).map(([key]) => key);

const commentsOn = (workspace: SandboxWorkspace, issueId: string) => [...workspace.store.comments.values()].filter((c) => c.issueId === issueId);

describe('Cascade installed as a Linear app for two tenants', () => {
  it('serves each workspace in its tenant with its own token, keeps the tenants apart, and stops a removed or disconnected one', async () => {
    const r = await start();
    const { a, b } = r;

    // (a) Workspace A installs into the default tenant; its orphan is labelled and commented by A's app, with A's token only.
    const installedA = await install(r, a, OPERATOR);
    expect(installedA.tenant).toBe('default');
    const mine = a.store.createIssue({ team: 'ENG', title: 'Export the audit trail to CSV for auditors', createdAt: daysAgo(2) });
    await waitFor(() => a.store.labelNamesOf(mine.id).includes('no-objective') && commentsOn(a, mine.id).length > 0, 'the orphan label and comment in workspace A', 15_000);
    await idle(r, [installedA.id]);
    expect(commentsOn(a, mine.id)).toHaveLength(1);
    expect(commentsOn(a, mine.id)[0]!.userId).toBe(a.appUser!.id);
    const tokenA = [...tokensUsedIn(r, a)];
    expect(tokenA).toHaveLength(1);
    expect(r.linear.accessLog({ workspaceId: a.id, operation: 'mutation' }).length).toBeGreaterThan(0);

    // (b) The operator makes acme; acme's admin stores its own tree and installs workspace B into acme.
    const made = await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'acme', name: 'Acme Field Services' } });
    expect(made.statusCode).toBe(201);
    const acme = made.json<{ adminToken: string; digestToken: string }>();
    const put = await call(r, 'PUT', '/admin/config', acme.adminToken, { body: acmeConfig(), headers: { 'if-match': '"0"' } });
    expect(put.statusCode).toBe(200);
    const installedB = await install(r, b, acme.adminToken);
    expect(installedB.tenant).toBe('acme');
    const theirs = b.store.createIssue({ team: 'ENG', title: 'Offline sync for the dispatch tablets', createdAt: daysAgo(2) });
    await waitFor(() => b.store.labelNamesOf(theirs.id).includes(ACME_ORPHAN) && commentsOn(b, theirs.id).length > 0, 'acme\'s orphan label and comment in workspace B', 15_000);
    await idle(r, [installedA.id, installedB.id]);
    // Checked under acme's tree, not the default one.
    expect(b.store.labelNamesOf(theirs.id)).not.toContain('no-objective');
    expect(commentsOn(b, theirs.id)).toHaveLength(1);
    expect(commentsOn(b, theirs.id)[0]!.userId).toBe(b.appUser!.id);
    const acmeParts = r.cascade.runtimes.of('acme');
    expect((await acmeParts.verdicts.get('linear', theirs.id))?.verdict).toBe('orphan');
    const tokenB = [...tokensUsedIn(r, b)];
    expect(tokenB).toHaveLength(1);
    expect(tokenB[0]).not.toBe(tokenA[0]);
    // A's workspace was never read with B's token, nor B's with A's.
    expect([...tokensUsedIn(r, a)]).toEqual(tokenA);
    // Acme's admin re-checks everything: acme's workspace is read again, with B's token; A's is not touched.
    const readsOfA = r.linear.accessLog({ workspaceId: a.id }).length;
    const readsOfB = r.linear.accessLog({ workspaceId: b.id }).length;
    expect((await call(r, 'POST', '/admin/recheck', acme.adminToken, { body: { tracker: 'linear' } })).statusCode).toBe(202);
    await waitFor(() => r.linear.accessLog({ workspaceId: b.id }).length > readsOfB, 'acme\'s re-check reading workspace B');
    await idle(r, [installedA.id, installedB.id]);
    expect(r.linear.accessLog({ workspaceId: a.id })).toHaveLength(readsOfA);
    expect([...tokensUsedIn(r, b)]).toEqual(tokenB);

    // (c) Neither tenant sees the other's config, verdicts, explain, exemptions, installations or digest.
    const title = async (token: string) => (await call(r, 'GET', '/admin/config', token)).json<CascadeConfig>().objectives[0]?.title;
    expect(await title(acme.adminToken)).toBe('Acme: win the field-service market');
    expect(await title(OPERATOR)).toBe(exampleConfig().objectives[0]?.title);
    expect((await call(r, 'GET', '/admin/config', acme.adminToken, { headers: { 'cascade-tenant': 'default' } })).statusCode).toBe(403);
    expect(await r.cascade.verdicts.get('linear', theirs.id)).toBeNull();
    expect(await acmeParts.verdicts.get('linear', mine.id)).toBeNull();
    expect((await call(r, 'GET', `/admin/explain/linear/${theirs.id}`, acme.adminToken)).statusCode).toBe(200);
    expect((await call(r, 'GET', `/admin/explain/linear/${mine.id}`, acme.adminToken)).statusCode).toBe(404);
    expect((await call(r, 'GET', `/admin/explain/linear/${mine.id}`, OPERATOR)).statusCode).toBe(200);
    expect((await call(r, 'GET', `/admin/explain/linear/${theirs.id}`, OPERATOR)).statusCode).toBe(404);
    a.store.createComment({ issue: mine.id, body: '/cascade exempt vendor contract work', userId: a.store.person.id });
    await waitFor(async () => (await r.cascade.context.exemptions.list()).length > 0, 'the exemption in workspace A');
    const exempted = async (token: string) => (await call(r, 'GET', '/admin/exemptions', token)).json<{ exemptions: Array<{ ticket: string }> }>().exemptions.map((e) => e.ticket);
    expect(await exempted(OPERATOR)).toEqual([mine.id]);
    expect(await exempted(acme.adminToken)).toEqual([]);
    const acmeInstalls = (await call(r, 'GET', '/admin/installs', acme.adminToken)).json<ListedInstallation[]>();
    expect(acmeInstalls.map((i) => i.workspace.id)).toEqual([b.id]);
    const allInstalls = (await call(r, 'GET', '/admin/installs', OPERATOR)).json<ListedInstallation[]>();
    expect(allInstalls.map((i) => i.workspace.id).sort()).toEqual([a.id, b.id].sort());
    expect((await call(r, 'DELETE', `/admin/installs/${installedA.id}`, acme.adminToken)).statusCode).toBe(404);
    const acmeDigest = await digestOf(r, acme.digestToken);
    expect(acmeDigest).toContain('Acme: win the field-service market');
    expect(acmeDigest).not.toContain(exampleConfig().objectives[0]!.title);
    expect(acmeDigest).not.toContain(mine.id);
    const defaultDigest = await digestOf(r, DIGEST_TOKEN);
    expect(defaultDigest).not.toContain('Acme: win the field-service market');
    expect(defaultDigest).not.toContain(theirs.id);
    expect([401, 403]).toContain((await call(r, 'GET', '/digest.json?tenant=acme', DIGEST_TOKEN)).statusCode);
    expect([401, 403]).toContain((await call(r, 'GET', '/digest.json?tenant=default', acme.digestToken)).statusCode);
    // Acme's tickets live only under acme's hash tag, the default tenant's only under its own: every key of this
    // deployment (its tenants, installations and queues) was looked at.
    const everything = await everythingUnder(r.prefix.slice(0, -1));
    const acmeTag = tenantPrefix(r.prefix, 'acme');
    expect(holding(everything, theirs.id).length).toBeGreaterThan(0);
    for (const key of holding(everything, theirs.id)) expect(key.startsWith(acmeTag)).toBe(true);
    expect([...everything.keys()].some((key) => key.startsWith(`${acmeTag}:${checkQueueName({ tracker: 'linear', installation: installedB.id })}:`))).toBe(true);
    expect(holding(everything, mine.id).length).toBeGreaterThan(0);
    for (const key of holding(everything, mine.id)) expect(key.startsWith(`${r.prefix}`)).toBe(true);

    // B's admin takes ENG out of the app's reach: acme's workers read and write nothing more there.
    const engOfB = [...b.store.teams.values()].find((t) => t.key === 'ENG')!;
    r.linear.changePermissions(b.id, { removedTeamIds: [engOfB.id], canAccessAllPublicTeams: false });
    await waitFor(async () => (await acmeParts.context.installations?.get(installedB.id))?.teams?.allPublic === false, 'B\'s teams in reach updated');
    const mutationsInB = r.linear.accessLog({ workspaceId: b.id, operation: 'mutation' }).length;
    const outOfReach = b.store.createIssue({ team: 'ENG', title: 'Van stock alerts', createdAt: daysAgo(2) });
    await idle(r, [installedA.id, installedB.id]);
    expect(b.store.labelNamesOf(outOfReach.id)).toEqual([]);
    expect(commentsOn(b, outOfReach.id)).toEqual([]);
    expect(r.linear.accessLog({ workspaceId: b.id, operation: 'mutation' })).toHaveLength(mutationsInB);

    // (d) B's admin removes the app: B's queued check does nothing, B's later webhooks are ignored, no request reaches B; A keeps working.
    const late = b.store.withoutWebhooks(() => b.store.createIssue({ team: 'ENG', title: 'Parts inventory per van', createdAt: daysAgo(2) }));
    const queued = await acmeParts.queues.checksFor({ tracker: 'linear', installation: installedB.id }).add('check', { tracker: 'linear', installation: installedB.id, ticketId: late.id, reason: 'webhook' }, { delay: 1500 });
    r.linear.uninstall(b.id);
    await waitFor(async () => {
      const listed = (await call(r, 'GET', '/admin/installs', acme.adminToken)).json<ListedInstallation[]>();
      return listed.every((i) => i.workspace.id !== b.id || i.status === 'revoked');
    }, 'B\'s installation revoked');
    const requestsBefore = r.linear.requestCount();
    const usedInB = r.linear.accessLog({ workspaceId: b.id }).length;
    const changes: Parameters<Parameters<LinearStore['onChange']>[0]>[0][] = [];
    const off = b.store.onChange((change) => changes.push(change));
    const after = b.store.createIssue({ team: 'ENG', title: 'Customer signature on the tablet', createdAt: daysAgo(2) });
    off();
    // Linear sends nothing more once the app is removed; a delivery sent anyway (a retry, a forgery with the right secret) is
    // ignored as soon as the receiver's directory has seen the revoke (it looks every 500 ms; one queued before ends unread).
    await waitFor(async () => {
      const delivery = buildLinearDelivery(r.secret, { ...envelopeFor(b.store, changes[0]!, { webhookId: randomUUID() }), organizationId: b.id });
      const answer = await fetch(`${r.url}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      expect(answer.status).toBe(200);
      return ((await answer.json()) as { status: string }).status === 'ignored';
    }, 'B\'s deliveries answered ignored');
    await waitFor(async () => {
      const job = await Job.fromId(acmeParts.queues.checksFor({ tracker: 'linear', installation: installedB.id }), queued.id!);
      return job === undefined || (await job.getState()) === 'completed';
    }, 'B\'s queued check dropped or ended', 15_000);
    await idle(r, [installedA.id, installedB.id]);
    expect(r.linear.requestCount()).toBe(requestsBefore);
    expect(r.linear.accessLog({ workspaceId: b.id })).toHaveLength(usedInB);
    for (const ticket of [late, after]) {
      expect(b.store.labelNamesOf(ticket.id)).toEqual([]);
      expect(commentsOn(b, ticket.id)).toEqual([]);
    }
    // A keeps working, still with its own token.
    const next = a.store.createIssue({ team: 'ENG', title: 'Single sign-on for the admin console', createdAt: daysAgo(2) });
    await waitFor(() => a.store.labelNamesOf(next.id).includes('no-objective') && commentsOn(a, next.id).length > 0, 'A\'s next orphan checked', 15_000);
    expect(commentsOn(a, next.id)[0]!.userId).toBe(a.appUser!.id);
    expect([...tokensUsedIn(r, a)]).toEqual(tokenA);

    // B's admin connects the app again: B is served in acme once more, with the new consent's token, from its first delivery.
    const again = await install(r, b, acme.adminToken);
    expect(again).toMatchObject({ id: installedB.id, tenant: 'acme', status: 'active' });
    // The removal's reason is gone with it, and the new consent reaches ENG again (taken away before the removal).
    expect(again.statusReason).toBeUndefined();
    const renewed = b.store.createIssue({ team: 'ENG', title: 'Barcode scanning for parts', createdAt: daysAgo(2) });
    await waitFor(() => b.store.labelNamesOf(renewed.id).includes(ACME_ORPHAN) && commentsOn(b, renewed.id).length > 0, 'acme\'s orphan label and comment after the new consent', 15_000);
    expect(commentsOn(b, renewed.id)[0]!.userId).toBe(b.appUser!.id);
    const tokensOfB = [...tokensUsedIn(r, b)];
    expect(tokensOfB).toHaveLength(2);
    expect(tokensOfB).toContain(tokenB[0]);

    // (e) The operator disconnects A: the token is revoked at Linear and the installation shows revoked.
    const disconnected = await call(r, 'DELETE', `/admin/installs/${installedA.id}`, OPERATOR);
    expect(disconnected.statusCode).toBe(200);
    expect(disconnected.json()).toMatchObject({ status: 'revoked' });
    expect(r.linear.grantCounts(a.id).revoked).toBe(1);
    const listedAtLast = (await call(r, 'GET', '/admin/installs', OPERATOR)).json<ListedInstallation[]>();
    expect(listedAtLast.find((i) => i.id === installedA.id)).toMatchObject({ status: 'revoked' });
  }, 90_000);

  it('installs into, and lists, the tenant the operator names by header or query, as every other admin route does', async () => {
    const r = await start();
    expect((await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'acme' } })).statusCode).toBe(201);
    const byHeader = await install(r, r.b, OPERATOR, { headers: { 'cascade-tenant': 'acme' } });
    expect(byHeader.tenant).toBe('acme');
    const byQuery = await call(r, 'POST', '/admin/installs/linear?tenant=acme', OPERATOR, { body: {} });
    expect(byQuery.statusCode).toBe(200);
    // A body naming another tenant than the header is a mistake, not a choice.
    const both = await call(r, 'POST', '/admin/installs/linear', OPERATOR, { body: { tenant: 'default' }, headers: { 'cascade-tenant': 'acme' } });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ error: 'CASCADE_TENANT_CONFLICT' });
    const unknown = await call(r, 'POST', '/admin/installs/linear', OPERATOR, { body: {}, headers: { 'cascade-tenant': 'nobody' } });
    expect(unknown.statusCode).toBe(404);
    // Nothing named: the default tenant, as before tenants.
    const plain = await install(r, r.a, OPERATOR);
    expect(plain.tenant).toBe('default');
    // The operator lists every tenant's installations, or those of the tenant it names.
    const listed = async (headers: Record<string, string> = {}) => (await call(r, 'GET', '/admin/installs', OPERATOR, { headers })).json<ListedInstallation[]>().map((i) => i.workspace.id).sort();
    expect(await listed()).toEqual([r.a.id, r.b.id].sort());
    expect(await listed({ 'cascade-tenant': 'acme' })).toEqual([r.b.id]);
  });
});
