// Cascade on a Redis Cluster of three masters, named by a node that does NOT
// serve the slot of `{cascade}` (a plain client there gets MOVED for every key):
// the receiver, the queues, the workers and the stores, started as production
// starts them, follow the cluster's slot map. A second key prefix of the tenant
// form runs beside it and lives on another node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startRedisCluster, type ClusterNode, type RedisCluster } from '../support/redis-cluster.js';
import { startE2E, waitFor, type E2E } from '../support/e2e.js';
import { createRedisClient, type RedisClient } from '../../src/store/redis-client.js';
import { waitForRedis } from '../../cli/wait-for-redis.js';
import { freePort } from '../../cli/redis-server.js';

const DAY = 86_400_000;
const PREFIX = '{cascade}';
// Tenant names picked by their hash tag's slot: `cascade:acme` hashes to 14704, on
// the third master of a fresh three-node cluster; `cascade` to 6092, on the second.
const TENANT_PREFIX = '{cascade:acme}';

let cluster: RedisCluster;
/** Serves no slot of `{cascade}`: REDIS_URL names this node. */
let seed: ClusterNode;
const running: E2E[] = [];
const clients: RedisClient[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  seed = await cluster.nodeNotOwning(PREFIX);
}, 60_000);
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((e) => e.close()));
  for (const client of clients.splice(0)) client.disconnect();
  // Each test starts from an empty cluster (the prefixes are the production ones, not per test).
  for (const node of cluster.nodes) await cluster.ask(node, 'FLUSHALL');
});
afterAll(async () => {
  await cluster?.stop();
});

const botComments = (e: E2E, issueId: string): string[] => e.linear.store.commentsOn(issueId).filter((c) => c.userId === e.linear.store.bot.id).map((c) => c.body);

async function start(prefix: string, env: Record<string, string> = {}): Promise<E2E> {
  const e2e = await startE2E({ redisUrl: cluster.clusterUrl(seed), prefix, env });
  running.push(e2e);
  return e2e;
}

/** An orphan ticket created in the sandbox, whose signed webhook reaches the receiver; resolves once it is labelled and commented. */
async function orphanMarked(e2e: E2E, title: string): Promise<string> {
  const { store } = e2e.linear;
  const issue = store.createIssue({ team: 'ENG', title, createdAt: new Date(Date.now() - 2 * DAY).toISOString() });
  await waitFor(() => store.labelNamesOf(issue.id).includes('no-objective') && botComments(e2e, issue.id).length > 0, `the label and comment on ${title}`, 20_000);
  await e2e.idle();
  return issue.id;
}

describe('Cascade on a Redis Cluster', () => {
  it('is named by a node that does not serve its slot: a plain client there gets MOVED', async () => {
    const owner = await cluster.ownerOf(await cluster.slotOf(`${PREFIX}:config:current`));
    expect(owner.port).not.toBe(seed.port);
    const plain = new Redis(seed.url, { maxRetriesPerRequest: 0 });
    clients.push(plain);
    await expect(plain.get(`${PREFIX}:config:current`)).rejects.toThrow(/^MOVED \d+ 127\.0\.0\.1:\d+$/);
    // The start-up wait answers through the cluster client (INFO of every master).
    await expect(waitForRedis(cluster.clusterUrl(seed), { timeoutMs: 5000, logger: pino({ level: 'silent' }) })).resolves.toBeUndefined();
  });

  it('does not start on a cluster address where no node answers', async () => {
    const nobody = `redis+cluster://127.0.0.1:${await freePort()}`;
    await expect(waitForRedis(nobody, { timeoutMs: 1500, retryMs: 100, logger: pino({ level: 'silent' }) })).rejects.toThrow(/^Redis at redis\+cluster:\/\/127\.0\.0\.1:\d+ did not answer within 2 s \(.+\); exiting/);
  });

  it('labels and comments an orphan once, serves the config admin API and computes the digest', async () => {
    const e2e = await start(PREFIX, { DIGEST_TOKEN: 'digest-reader-token-on-a-cluster' });
    const issueId = await orphanMarked(e2e, 'Export the audit trail to CSV for auditors');
    expect(botComments(e2e, issueId)).toHaveLength(1);
    expect((await e2e.cascade.verdicts.get('linear', issueId))?.verdict).toBe('orphan');

    const app = e2e.cascade.app!;
    const auth = { authorization: `Bearer ${e2e.adminToken}` };
    const current = await app.inject({ method: 'GET', url: '/admin/config', headers: auth });
    expect(current.statusCode).toBe(200);
    const config = current.json() as { objectives: Array<{ id: string; children?: Array<{ id: string; match?: { linear?: { projects?: string[] } } }> }> };
    config.objectives.find((o) => o.id === 'retention')!.children!.find((c) => c.id === 'onboarding')!.match!.linear!.projects!.push('Design system refresh');
    const put = await app.inject({ method: 'PUT', url: '/admin/config', headers: { ...auth, 'if-match': current.headers.etag as string }, payload: config });
    expect(put.statusCode, put.body).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/admin/config', headers: auth });
    expect(after.headers.etag).not.toBe(current.headers.etag);
    expect(after.body).toContain('Design system refresh');
    expect(put.json()).toMatchObject({ version: 2 });
    expect(after.headers.etag).toBe('"2"');

    // The digest: the first view asks a worker for it, then the page is there.
    let page = await app.inject({ method: 'GET', url: '/digest?token=digest-reader-token-on-a-cluster' });
    await waitFor(async () => {
      page = await app.inject({ method: 'GET', url: '/digest?token=digest-reader-token-on-a-cluster' });
      return page.statusCode === 200;
    }, 'the digest page', 15_000);
    expect(page.body).toContain('<svg');
    const digest = (await app.inject({ method: 'GET', url: '/digest.json', headers: auth })).json() as { totals: { openTotal: number } };
    expect(digest.totals.openTotal).toBeGreaterThan(0);
  });

  it('runs a tenant prefix beside it, in another slot on another node, each seeing only its own tickets', async () => {
    const [home, acme] = await Promise.all([start(PREFIX), start(TENANT_PREFIX)]);
    const [homeIssue, acmeIssue] = await Promise.all([orphanMarked(home, 'Dark mode for the editor'), orphanMarked(acme, 'Bulk export of invoices')]);
    expect(botComments(home, homeIssue)).toHaveLength(1);
    expect(botComments(acme, acmeIssue)).toHaveLength(1);
    // Each prefix has its own verdicts (the two sandboxes' ids may even coincide: the titles tell them apart).
    expect((await acme.cascade.verdicts.get('linear', acmeIssue))?.title).toBe('Bulk export of invoices');
    expect((await home.cascade.verdicts.get('linear', homeIssue))?.title).toBe('Dark mode for the editor');

    const homeSlot = await cluster.slotOf(`${PREFIX}:verdicts`);
    const acmeSlot = await cluster.slotOf(`${TENANT_PREFIX}:verdicts`);
    expect(acmeSlot).not.toBe(homeSlot);
    const [homeOwner, acmeOwner] = [await cluster.ownerOf(homeSlot), await cluster.ownerOf(acmeSlot)];
    expect(acmeOwner.port).not.toBe(homeOwner.port);
    // Every key of the tenant (its stores and its BullMQ queues) is in its one slot, on its node.
    const acmeKeys = (await cluster.ask(acmeOwner, 'CLUSTER', 'GETKEYSINSLOT', String(acmeSlot), '10000')) as string[];
    expect(acmeKeys).toEqual(expect.arrayContaining([`${TENANT_PREFIX}:verdicts`, `${TENANT_PREFIX}:config:current`]));
    expect(acmeKeys.some((k) => k.startsWith(`${TENANT_PREFIX}:events:`))).toBe(true);
    expect(acmeKeys.every((k) => k.startsWith(TENANT_PREFIX))).toBe(true);
    expect(Number(await cluster.ask(acmeOwner, 'CLUSTER', 'COUNTKEYSINSLOT', String(acmeSlot)))).toBe(acmeKeys.length);
    // …and none of it reached the node serving `{cascade}`.
    expect(Number(await cluster.ask(homeOwner, 'CLUSTER', 'COUNTKEYSINSLOT', String(acmeSlot)))).toBe(0);
  });

  it('delivers a message published through one node to a subscriber that named another (config invalidations)', async () => {
    const [first, second] = cluster.nodes;
    const subscriber = createRedisClient(cluster.clusterUrl(first!), { maxRetriesPerRequest: null });
    const publisher = createRedisClient(cluster.clusterUrl(second!), { maxRetriesPerRequest: null });
    clients.push(subscriber, publisher);
    const channel = `${TENANT_PREFIX}:invalidate`;
    const received: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => received.push(message));
    await subscriber.subscribe(channel);
    await publisher.publish(channel, 'project-42');
    await waitFor(() => received.includes('project-42'), 'the published message');
  });
});
