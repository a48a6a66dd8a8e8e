// The tenant store and the admin routes' tenant tokens on a real Redis, through
// the real admin plugin: ids and their 400s, tokens kept as digests only, the
// version every cache follows, a tenant made by another process known within a
// read, and a tenant's token limited to its own installations.
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { ConfigStore } from '../../src/store/config-store.js';
import { keysFor } from '../../src/store/keys.js';
import { VerdictStore } from '../../src/store/verdict-store.js';
import { adminPlugin, type TenantAdminParts } from '../../src/routes/admin/index.js';
import { TenantStore, type TenantWithTokens } from '../../src/tenants/tenant-store.js';
import { TenantDirectory } from '../../src/tenants/tenant-directory.js';
import { tenantPrefix } from '../../src/tenants/tenant-ids.js';
import { tokenDigest } from '../../src/tenants/tenant-tokens.js';
import { InstallationStore, installKeys } from '../../src/installs/installation-store.js';
import { InstallService } from '../../src/installs/install-service.js';
import { secretBox } from '../../src/installs/secret-box.js';
import { readEnvironment } from '../../src/config/environment.js';
import type { InstallationRecord } from '../../src/records/installation.js';
import { exampleConfig } from '../support/example-config.js';
import { deleteKeysUnder, testPrefix } from '../support/test-prefix.js';
import { routeApp } from '../support/route-app.js';

const redisUrl = inject('redisUrl');
const OPERATOR = { name: 'ops', token: 'operator-0123456789-secret' };
const connections: Redis[] = [];
const closing: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await Promise.all(connections.splice(0).map((c) => c.quit()));
});

function connect(): Redis {
  const redis = new Redis(redisUrl);
  connections.push(redis);
  return redis;
}

/** The parts of one tenant on its own prefix, as the runtime makes them. */
function partsUnder(redis: Redis, prefix: string): TenantAdminParts {
  const keys = keysFor(prefix);
  const url = new URL(redisUrl);
  const queues: Queues = createQueues({ connection: { host: url.hostname, port: Number(url.port) }, prefix });
  closing.push(() => queues.close());
  return { configStore: new ConfigStore(redis, keys, { refreshMs: 0 }), verdicts: new VerdictStore(redis, keys), queues, trackers: {}, startRecheck: async () => ({ sweepIds: [] }), sweepProgress: async () => [] };
}

describe('the tenant store', () => {
  it('keeps tenants under their own tag with the digests of their tokens only, and bumps its version on every change', async () => {
    const redis = connect();
    const base = testPrefix('tenant-store');
    closing.push(() => deleteKeysUnder(tenantPrefix(base, 'tenants')));
    const store = new TenantStore(redis, base);
    expect(store.keys.records.startsWith(`${tenantPrefix(base, 'tenants')}:`)).toBe(true);
    expect(await store.version()).toBe(0);
    for (const bad of ['', 'Acme', 'acme corp', '-acme', 'a'.repeat(41), 'default', 'tenants', 'installs', 'ac/me']) {
      await expect(store.create(bad)).rejects.toMatchObject({ statusCode: 400, code: 'CASCADE_BAD_TENANT_ID' });
    }
    const made = await store.create('acme', '  Acme Field Services ');
    expect(made.tenant).toMatchObject({ id: 'acme', name: 'Acme Field Services' });
    expect(await store.version()).toBe(1);
    await expect(store.create('acme')).rejects.toMatchObject({ statusCode: 409 });
    expect(await store.version()).toBe(1);
    const raw = JSON.stringify(await redis.hgetall(store.keys.records));
    expect(raw).not.toContain(made.adminToken);
    expect(raw).not.toContain(made.digestToken);
    expect(raw).toContain(tokenDigest(made.adminToken));
    expect(await store.exists('acme')).toBe(true);
    expect(await store.exists('default')).toBe(true);
    expect(await store.exists('nobody')).toBe(false);
    await store.create('zeta-2');
    expect((await store.list()).map((t) => t.id)).toEqual(['acme', 'zeta-2']);
    const rotated = await store.rotate('acme');
    expect(rotated.adminToken).not.toBe(made.adminToken);
    expect((await store.get('acme'))?.adminTokenDigest).toBe(tokenDigest(rotated.adminToken));
    expect(await store.version()).toBe(3);
    await expect(store.rotate('nobody')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('knows a tenant made by another process after one read of the version', async () => {
    const base = testPrefix('tenant-directory');
    closing.push(() => deleteKeysUnder(tenantPrefix(base, 'tenants')));
    const here = new TenantDirectory(new TenantStore(connect(), base), { checkEveryMs: 0 });
    const elsewhere = new TenantStore(connect(), base);
    await here.fresh();
    expect(here.has('acme')).toBe(false);
    const made = await elsewhere.create('acme');
    expect(here.tokenOf(made.adminToken)).toBeUndefined();
    await here.fresh();
    expect(here.has('acme')).toBe(true);
    expect(here.tokenOf(made.adminToken)).toEqual({ tenant: 'acme', kind: 'admin' });
    expect(here.tokenOf(made.digestToken)).toEqual({ tenant: 'acme', kind: 'digest' });
    expect(here.tokenOf(`${made.adminToken}x`)).toBeUndefined();
  });
});

describe('tenant tokens on the admin routes', () => {
  async function start(): Promise<{ app: FastifyInstance; acme: TenantWithTokens; other: TenantWithTokens; installs: InstallationStore }> {
    const redis = connect();
    const base = testPrefix('tenant-admin');
    closing.push(() => Promise.all(['tenants', 'acme', 'other', 'installs'].map((t) => deleteKeysUnder(tenantPrefix(base, t)))));
    const tenants = new TenantStore(redis, base);
    const directory = new TenantDirectory(tenants);
    const [acme, other] = [await tenants.create('acme'), await tenants.create('other')];
    const parts = new Map(['default', 'acme', 'other'].map((t) => [t, partsUnder(redis, tenantPrefix(base, t))]));
    await parts.get('default')!.configStore.seed(exampleConfig());
    const installs = new InstallationStore(redis, installKeys(tenantPrefix(base, 'installs')));
    const env = readEnvironment({ CASCADE_SECRET_KEY: 'c'.repeat(64) });
    const service = new InstallService({ env, store: installs, box: secretBox('c'.repeat(64)), app: () => undefined, tenantExists: (t) => tenants.exists(t), logger: pino({ level: 'silent' }) });
    const app = await routeApp({
      redis,
      keys: keysFor(base),
      adminTokens: [OPERATOR],
      plugins: [adminPlugin({ tokens: [OPERATOR], ...parts.get('default')!, now: () => new Date(), installs: service, tenants: { directory, partsOf: (t) => parts.get(t)! } })],
    });
    closing.push(() => app.close());
    return { app, acme, other, installs };
  }

  const get = (app: FastifyInstance, url: string, token: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });

  it('lists to a tenant\'s token only its own installations; the operator\'s sees all', async () => {
    const { app, acme, other, installs } = await start();
    const at = new Date().toISOString();
    const record = (tenant: string, workspace: string): Omit<InstallationRecord, 'id'> => ({ tracker: 'linear', tenant, workspace: { id: workspace, name: workspace }, status: 'active', sealedTokens: 'sealed', installedAt: at, updatedAt: at });
    await installs.upsert(record('acme', 'org-acme'));
    await installs.upsert(record('other', 'org-other'));
    await installs.upsert(record('default', 'org-default'));
    const listed = async (token: string) => (await get(app, '/admin/installs', token)).json<Array<{ tenant: string }>>().map((i) => i.tenant).sort();
    expect(await listed(acme.adminToken)).toEqual(['acme']);
    expect(await listed(other.adminToken)).toEqual(['other']);
    expect(await listed(OPERATOR.token)).toEqual(['acme', 'default', 'other']);
    // A tenant's token starts installs for its own tenant only.
    const begin = (token: string, tenant: string) => app.inject({ method: 'POST', url: '/admin/installs/linear', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { tenant } });
    expect((await begin(acme.adminToken, 'other')).statusCode).toBe(403);
  });

  it('acts on the tenant a token belongs to, or the one the operator names; never another', async () => {
    const { app, acme, other } = await start();
    expect((await get(app, '/admin/config', OPERATOR.token)).statusCode).toBe(200);
    expect((await get(app, '/admin/config', acme.adminToken)).statusCode).toBe(404); // its own: no config yet
    expect((await get(app, '/admin/config', OPERATOR.token, { 'cascade-tenant': 'acme' })).statusCode).toBe(404);
    expect((await get(app, '/admin/config', OPERATOR.token, { 'cascade-tenant': 'nobody' })).json()).toMatchObject({ error: 'CASCADE_UNKNOWN_TENANT' });
    expect((await get(app, '/admin/config', acme.adminToken, { 'cascade-tenant': 'other' })).statusCode).toBe(403);
    expect((await get(app, '/admin/config', other.adminToken, { 'cascade-tenant': 'default' })).statusCode).toBe(403);
    expect((await get(app, '/admin/config', acme.digestToken)).statusCode).toBe(401);
    expect((await get(app, '/admin/queues', acme.adminToken)).statusCode).toBe(200);
  });
});
