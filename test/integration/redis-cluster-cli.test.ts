// `cascade all` as users run it, on a Redis Cluster named by a node that does
// not serve `{cascade}`: the start-up wait, the receiver, its worker process
// (which reads REDIS_URL from the environment its parent hands it) and the demo
// all go through the cluster client. REDIS_CLUSTER=true with a plain redis://
// URL is the form used here, so the worker process gets the address the
// environment made of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../cli/redis-server.js';
import { buildCli, processGroup, runCli, waitFor, type CliProcess } from '../support/built-cli.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { createRedisClient, type RedisClient } from '../../src/store/redis-client.js';

let cli: string;
let cluster: RedisCluster;
let cascade: CliProcess | undefined;
let client: RedisClient | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'cascade-cluster-cli-'));

beforeAll(async () => {
  [cli, cluster] = await Promise.all([buildCli(), startRedisCluster()]);
}, 240_000);
afterAll(async () => {
  if (cascade?.child.pid !== undefined && cascade.child.exitCode === null && cascade.child.signalCode === null) process.kill(-cascade.child.pid, 'SIGKILL');
  client?.disconnect();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cascade all on a Redis Cluster', () => {
  it('runs the demo through a node that does not serve its slot, and stops on Ctrl-C', async () => {
    const seed = await cluster.nodeNotOwning('{cascade}');
    const port = await freePort();
    cascade = runCli(cli, ['all'], { REDIS_URL: seed.url, REDIS_CLUSTER: 'true', PORT: String(port), HOST: '127.0.0.1', CASCADE_DATA_DIR: dataDir });
    const running = cascade;
    const died = running.exited.then((exit) => Promise.reject(new Error(`cascade exited with code ${exit.code} before serving: ${running.output().slice(-800)}`)));
    await Promise.race([waitFor('/healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000), died]);
    // The demo's replayed deliveries reach the worker process, whose checks record verdicts (and write marks) in the cluster.
    client = createRedisClient(cluster.clusterUrl(seed), { maxRetriesPerRequest: 1 });
    const owner = await cluster.ownerOf(await cluster.slotOf('{cascade}'));
    await waitFor(`verdicts in the cluster (output so far: ${running.output().slice(-800)})`, async () => (await client!.hlen('{cascade}:verdicts')) >= 20, 60_000);
    expect(Number(await cluster.ask(owner, 'DBSIZE'))).toBeGreaterThan(0);
    expect(processGroup(running.child.pid!).length).toBeGreaterThanOrEqual(2);
    expect(running.output()).not.toMatch(/MOVED|CROSSSLOT|NOSCRIPT/);

    process.kill(-running.child.pid!, 'SIGINT');
    const exit = await running.exited;
    expect(exit.code, running.output().slice(-3000)).toBe(0);
  }, 180_000);
});
