// Several tenants on one deployment, end to end: the operator makes a tenant
// through POST /admin/tenants while the workers run; its admin token stores its
// own tree; deliveries for each tenant go to its own inbox, carrying tickets
// of its own Linear sandbox, and the real workers check them with each
// tenant's config and tracker. What one tenant's tokens see of the other's
// (config, verdicts, explain, exemptions, digest) is asserted to be nothing,
// and every key of the second tenant lives under its own hash tag.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import { startCascade, type RunningCascade } from '../../cli/start-cascade.js';
import { adminRequest, adminTarget } from '../../cli/admin-client.js';
import { startLinearSandbox, seedDemoWorkspace, envelopeFor, type LinearSandbox } from '../../sandbox/linear/index.js';
import { LinearTracker } from '../../src/trackers/linear/index.js';
import { normaliseLinear } from '../../src/trackers/linear/normalise-webhook.js';
import { tenantPrefix } from '../../src/tenants/tenant-ids.js';
import { TenantStore } from '../../src/tenants/tenant-store.js';
import { checkQueueOf } from '../../src/queue/job-types.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { exampleConfig } from '../support/example-config.js';
import { deleteKeysUnder, testPrefix } from '../support/test-prefix.js';
import { waitFor } from '../support/e2e.js';

const redisUrl = inject('redisUrl');
const OPERATOR = `operator-${randomUUID()}`;
const DIGEST_TOKEN = `digest-${randomUUID()}`;
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

interface Running {
  cascade: RunningCascade;
  prefix: string;
  /** The default tenant's workspace, and the second tenant's. */
  first: LinearSandbox;
  second: LinearSandbox;
  forwarded: Array<Promise<unknown>>;
}

let running: Running | undefined;
afterEach(async () => {
  if (!running) return;
  const { cascade, first, second, prefix, forwarded } = running;
  running = undefined;
  await Promise.allSettled(forwarded);
  await cascade.close();
  await Promise.allSettled([first.close(), second.close()]);
  // testPrefix clears `{tenants-…}`; the tenants' own tags are further keys.
  await deleteKeysUnder(tenantPrefix(prefix, 'acme'));
  await deleteKeysUnder(tenantPrefix(prefix, 'tenants'));
});

/** `before` runs on the test's prefix before Cascade starts (tenants made by an earlier run). */
async function start(before?: (prefix: string) => Promise<void>, tenantPollMs = 100): Promise<Running> {
  const prefix = testPrefix('tenants');
  await before?.(prefix);
  const seed = { seed: (store: Parameters<typeof seedDemoWorkspace>[0]) => seedDemoWorkspace(store) };
  const [first, second] = await Promise.all([startLinearSandbox(seed), startLinearSandbox(seed)]);
  const tracker = (sandbox: LinearSandbox) => ({ linear: new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl }) });
  const cascade = await startCascade({
    role: 'all',
    env: readEnvironment({ CASCADE_QUIET_MS: '150', ADMIN_TOKEN: `ops:${OPERATOR}`, DIGEST_TOKEN }),
    redisUrl,
    logger: pino({ level: 'silent' }),
    trackers: tracker(first),
    // The second tenant's workspace (its installation's, once installations are routed).
    tenantTrackers: (tenant) => (tenant === 'acme' ? tracker(second) : {}),
    seedConfig: exampleConfig(),
    prefix,
    tenantPollMs,
  });
  running = { cascade, prefix, first, second, forwarded: [] };
  return running;
}

/** Every change in the sandbox reaches the tenant's own inbox, as the receiver queues a delivery routed to that tenant. */
function forward(r: Running, sandbox: LinearSandbox, tenant: string): void {
  sandbox.store.onChange((change) => {
    const normalised = normaliseLinear(JSON.parse(JSON.stringify(envelopeFor(sandbox.store, change, { webhookId: 'tenants-test' }))));
    if (!('event' in normalised)) return;
    const inbox = r.cascade.runtimes.of(tenant).inbox;
    if (!inbox) throw new Error('no inbox: the receiver is not running');
    r.forwarded.push(inbox.accept({ tracker: 'linear', ...(tenant === 'default' ? {} : { tenant }), deliveryId: randomUUID(), receivedAt: new Date().toISOString(), event: normalised.event }));
  });
}

function call(r: Running, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  const app = r.cascade.app;
  if (!app) throw new Error('no app');
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
}

/** The example tree with its first objective renamed: the second tenant's own tree. */
function acmeConfig(): CascadeConfig {
  const config = exampleConfig();
  const first = config.objectives[0];
  if (!first) throw new Error('the example config has no objective');
  first.title = 'Acme: win the field-service market';
  return config;
}

/** Every value under the keys starting with `prefix`, as text: what a leak would show up in. */
async function everythingUnder(prefix: string): Promise<{ keys: string[]; text: string }> {
  const redis = new Redis(redisUrl);
  try {
    const keys: string[] = [];
    const parts: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      for (const key of batch) {
        keys.push(key);
        const type = await redis.type(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    }
    return { keys, text: parts.join('\n') };
  } finally {
    redis.disconnect();
  }
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

describe('tenants', () => {
  it('gives a tenant made while the workers run its own tree, checks, verdicts, exemptions and digest, and shows none of them to the other', async () => {
    const r = await start();
    forward(r, r.first, 'default');
    forward(r, r.second, 'acme');

    // The operator makes the tenant; its tokens are shown once.
    const made = await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'acme', name: 'Acme Field Services' } });
    expect(made.statusCode).toBe(201);
    const acme = made.json<{ id: string; name: string; adminToken: string; digestToken: string }>();
    expect(acme).toMatchObject({ id: 'acme', name: 'Acme Field Services' });
    expect(acme.adminToken).toMatch(/^cta_[A-Za-z0-9_-]{43}$/);
    expect(acme.digestToken).toMatch(/^ctd_[A-Za-z0-9_-]{43}$/);
    expect((await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'acme' } })).statusCode).toBe(409);
    expect((await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'Acme Corp' } })).statusCode).toBe(400);
    expect((await call(r, 'POST', '/admin/tenants', OPERATOR, { body: { id: 'default' } })).statusCode).toBe(400);
    // Only the operator manages tenants.
    expect((await call(r, 'POST', '/admin/tenants', acme.adminToken, { body: { id: 'other' } })).statusCode).toBe(403);
    expect((await call(r, 'GET', '/admin/tenants', acme.adminToken)).statusCode).toBe(403);
    const listed = await call(r, 'GET', '/admin/tenants', OPERATOR);
    expect(listed.json()).toEqual([expect.objectContaining({ id: 'acme', name: 'Acme Field Services' })]);
    expect(listed.body).not.toContain(acme.adminToken);
    expect(listed.body).not.toMatch(/token/i);
    // A digest token is no admin token.
    expect((await call(r, 'GET', '/admin/config', acme.digestToken)).statusCode).toBe(401);

    // A new tenant has no config until its admin stores one.
    expect((await call(r, 'GET', '/admin/config', acme.adminToken)).statusCode).toBe(404);
    const put = await call(r, 'PUT', '/admin/config', acme.adminToken, { body: acmeConfig(), headers: { 'if-match': '"0"' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ version: 1 });

    // Each token reads its own tree and history; the operator reads the default one, or names the tenant.
    const ownTree = async (token: string, headers: Record<string, string> = {}) => (await call(r, 'GET', '/admin/config', token, { headers })).json<CascadeConfig>().objectives[0]?.title;
    expect(await ownTree(acme.adminToken)).toBe('Acme: win the field-service market');
    expect(await ownTree(OPERATOR)).toBe(exampleConfig().objectives[0]?.title);
    expect(await ownTree(OPERATOR, { 'cascade-tenant': 'acme' })).toBe('Acme: win the field-service market');
    expect((await call(r, 'GET', '/admin/config?tenant=acme', OPERATOR)).json<CascadeConfig>().objectives[0]?.title).toBe('Acme: win the field-service market');
    expect((await call(r, 'GET', '/admin/config', OPERATOR, { headers: { 'cascade-tenant': 'nobody' } })).statusCode).toBe(404);
    expect((await call(r, 'GET', '/admin/config', acme.adminToken, { headers: { 'cascade-tenant': 'default' } })).statusCode).toBe(403);
    const versions = async (token: string) => (await call(r, 'GET', '/admin/config/versions', token)).json<{ versions: Array<{ author: string }> }>().versions.map((v) => v.author);
    expect(await versions(acme.adminToken)).toEqual(['tenant:acme']);
    expect(await versions(OPERATOR)).not.toContain('tenant:acme');

    // A ticket in each tenant's workspace, checked by each tenant's workers with its own tree and tracker.
    const mine = r.first.store.createIssue({ team: 'ENG', title: 'Export the audit trail to CSV for auditors', createdAt: daysAgo(2) });
    const theirs = r.second.store.createIssue({ team: 'ENG', title: 'Offline sync for the dispatch tablets', createdAt: daysAgo(2) });
    const acmeParts = r.cascade.runtimes.of('acme');
    await waitFor(async () => (await r.cascade.verdicts.get('linear', mine.id)) !== null, 'the default tenant\'s check');
    await waitFor(async () => (await acmeParts.verdicts.get('linear', theirs.id)) !== null, 'the new tenant\'s check (its workers started without a restart)');
    expect((await acmeParts.verdicts.get('linear', theirs.id))?.verdict).toBe('orphan');
    await waitFor(() => r.second.store.labelNamesOf(theirs.id).includes('no-objective'), 'the new tenant\'s label in its own workspace');
    expect(await r.cascade.verdicts.get('linear', theirs.id)).toBeNull();
    expect(await acmeParts.verdicts.get('linear', mine.id)).toBeNull();

    // Explain reads each tenant's own tracker and records.
    expect((await call(r, 'GET', `/admin/explain/linear/${theirs.id}`, acme.adminToken)).statusCode).toBe(200);
    expect((await call(r, 'GET', `/admin/explain/linear/${mine.id}`, acme.adminToken)).statusCode).toBe(404);
    expect((await call(r, 'GET', `/admin/explain/linear/${mine.id}`, OPERATOR)).statusCode).toBe(200);
    expect((await call(r, 'GET', `/admin/explain/linear/${theirs.id}`, OPERATOR)).statusCode).toBe(404);

    // An exemption a person sets in the default workspace is the default tenant's alone.
    r.first.store.createComment({ issue: mine.id, body: '/cascade exempt vendor contract work' });
    await waitFor(async () => (await r.cascade.context.exemptions.list()).length > 0, 'the exemption');
    const exemptions = async (token: string) => (await call(r, 'GET', '/admin/exemptions', token)).json<{ exemptions: Array<{ ticket: string }> }>().exemptions.map((e) => e.ticket);
    expect(await exemptions(OPERATOR)).toEqual([mine.id]);
    expect(await exemptions(acme.adminToken)).toEqual([]);

    // Each digest shows its own tenant's tickets only, to its own tokens only.
    const acmeDigest = await digestOf(r, acme.digestToken);
    expect(acmeDigest).toContain(acmeConfig().objectives[0]?.title);
    expect(acmeDigest).not.toContain(exampleConfig().objectives[0]?.title);
    expect(acmeDigest).not.toContain(mine.id);
    const defaultDigest = await digestOf(r, DIGEST_TOKEN);
    expect(defaultDigest).toContain(exampleConfig().objectives[0]?.title);
    expect(defaultDigest).not.toContain(acmeConfig().objectives[0]?.title);
    expect(defaultDigest).not.toContain(theirs.id);
    expect(await digestOf(r, acme.adminToken)).toContain(acmeConfig().objectives[0]?.title);
    expect(await digestOf(r, OPERATOR, '?tenant=acme')).toContain(acmeConfig().objectives[0]?.title);
    expect((await call(r, 'GET', '/digest.json?tenant=default', acme.digestToken)).statusCode).toBe(403);
    expect((await call(r, 'GET', '/digest.json?tenant=acme', DIGEST_TOKEN)).statusCode).toBe(403);
    const inLink = await r.cascade.app!.inject({ method: 'GET', url: `/digest.json?token=${acme.digestToken}` });
    expect(inLink.statusCode).toBe(200);
    expect(inLink.body).toContain(acmeConfig().objectives[0]?.title);
    // An admin token never travels in a URL, a tenant's no more than the operator's.
    expect((await r.cascade.app!.inject({ method: 'GET', url: `/digest.json?token=${acme.adminToken}` })).statusCode).toBe(401);

    // Every key of the second tenant is under its own tag, and no key of either holds the other's ticket.
    await Promise.all(r.forwarded);
    const own = await everythingUnder(tenantPrefix(r.prefix, 'acme'));
    expect(own.keys).toContain(`${tenantPrefix(r.prefix, 'acme')}:verdicts`);
    // Its queues too (BullMQ keys are `<prefix>:<queue>:…`).
    expect(own.keys.some((k) => k.startsWith(`${tenantPrefix(r.prefix, 'acme')}:${checkQueueOf('linear')}:`))).toBe(true);
    expect(own.keys.some((k) => k.startsWith(`${tenantPrefix(r.prefix, 'acme')}:events:`))).toBe(true);
    expect(own.text).toContain(theirs.id);
    expect(own.text).not.toContain(mine.id);
    const defaults = await everythingUnder(r.prefix);
    expect(defaults.text).toContain(mine.id);
    expect(defaults.text).not.toContain(theirs.id);
  });

  it('starts the workers of tenants made before it started; their checks wait for a config; replaced tokens stop working', async () => {
    let made: Awaited<ReturnType<TenantStore['create']>> | undefined;
    const r = await start(async (prefix) => {
      const redis = new Redis(redisUrl);
      made = await new TenantStore(redis, prefix).create('acme', 'Acme');
      redis.disconnect();
    }, 3_600_000); // no look for new tenants during the test: the one found at start must run
    if (!made) throw new Error('no tenant');
    forward(r, r.second, 'acme');
    const acmeParts = r.cascade.runtimes.of('acme');

    // No config yet: the check fails and is retried, nothing is decided or written.
    const waiting = r.second.store.createIssue({ team: 'ENG', title: 'Route planning for field technicians', createdAt: daysAgo(2) });
    await waitFor(async () => (await acmeParts.queues.checks.linear.getJobs(['delayed', 'failed'])).some((job) => job.attemptsMade >= 1), 'a check that found no config');
    expect(await acmeParts.verdicts.get('linear', waiting.id)).toBeNull();
    expect(r.second.store.labelNamesOf(waiting.id)).not.toContain('no-objective');

    // Its admin stores a tree: the re-check decides the ticket.
    const put = await call(r, 'PUT', '/admin/config', made.adminToken, { body: acmeConfig(), headers: { 'if-match': '"0"' } });
    expect(put.statusCode).toBe(200);
    await waitFor(async () => (await acmeParts.verdicts.get('linear', waiting.id))?.verdict === 'orphan', 'the check with the new config', 15_000);

    // The commands that ask the API name the tenant with CASCADE_TENANT.
    await r.cascade.app!.listen({ port: 0, host: '127.0.0.1' });
    const { port } = r.cascade.app!.server.address() as AddressInfo;
    const target = adminTarget({ CASCADE_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: `ops:${OPERATOR}`, CASCADE_TENANT: 'acme' });
    expect((await adminRequest<CascadeConfig>(target, 'GET', '/admin/config')).objectives[0]?.title).toBe(acmeConfig().objectives[0]?.title);
    const own = adminTarget({ CASCADE_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: made.adminToken });
    expect((await adminRequest<CascadeConfig>(own, 'GET', '/admin/config')).objectives[0]?.title).toBe(acmeConfig().objectives[0]?.title);

    // Replaced tokens: the old ones stop working at once, the new ones work.
    expect((await call(r, 'POST', '/admin/tenants/acme/rotate', made.adminToken)).statusCode).toBe(403);
    const rotated = await call(r, 'POST', '/admin/tenants/acme/rotate', OPERATOR);
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json<{ adminToken: string; digestToken: string }>();
    expect((await call(r, 'GET', '/admin/config', made.adminToken)).statusCode).toBe(401);
    expect((await call(r, 'GET', '/digest.json', made.digestToken)).statusCode).toBe(401);
    expect((await call(r, 'GET', '/admin/config', fresh.adminToken)).statusCode).toBe(200);
    expect((await call(r, 'POST', '/admin/tenants/nobody/rotate', OPERATOR)).statusCode).toBe(404);
  });
});
