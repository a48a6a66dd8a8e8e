// The `cascade` command as a process: start-up while Redis is away, and
// stopping on Ctrl-C or SIGTERM. Each test runs the built CLI in a process
// group of its own, as a terminal runs `npm start`, against a real redis-server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, type RedisServer } from '../../cli/redis-server.js';
import { SCHED_IDLE, alive, buildCli, commandLine, processGroup, runCli, scheduling, waitFor, type CliProcess } from '../support/built-cli.js';

let cli: string;
const processes: CliProcess[] = [];
const redises: RedisServer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  cli = await buildCli();
}, 240_000);

afterEach(async () => {
  for (const p of processes.splice(0)) {
    if (p.child.pid !== undefined && p.child.exitCode === null && p.child.signalCode === null) {
      try {
        process.kill(-p.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await Promise.allSettled(redises.splice(0).map((r) => r.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const receiverEnv = (redisPort: number, port: number): Record<string, string> => ({
  REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  PORT: String(port),
  HOST: '127.0.0.1',
  LINEAR_WEBHOOK_SECRET: 'lin_wh_cli_process_test',
  CONFIG_FILE: 'config/strategy.example.yaml',
  LOG_LEVEL: 'info',
});

const start = (args: string[], env: Record<string, string>): CliProcess => {
  const p = runCli(cli, args, env);
  processes.push(p);
  return p;
};

const answers = async (port: number, path: string, bearer?: string): Promise<number> => {
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
};

/** Attempts Cascade makes on a Redis that is not there yet before it comes: about 5 s at its 250 ms retry. */
const ATTEMPTS_BEFORE_REDIS = 20;

describe('start-up while Redis is unreachable', () => {
  it('waits for a Redis that comes up only after 20 failed attempts (about 5 s), then serves', async () => {
    const [redisPort, port] = [await freePort(), await freePort()];
    // Where Redis will be, something that hangs up on every attempt, counting them.
    let attempts = 0;
    const hangUp = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => hangUp.listen(redisPort, '127.0.0.1', resolve));
    const cascade = start(['serve'], receiverEnv(redisPort, port));
    await waitFor('the wait for Redis to be logged', () => cascade.output().includes('Redis does not answer yet'), 20_000);
    // Waiting, not serving: nothing answers on the port while Redis is away.
    await expect(answers(port, '/healthz')).rejects.toThrow();
    await waitFor(`${ATTEMPTS_BEFORE_REDIS} attempts to reach Redis (so far ${attempts})`, () => attempts >= ATTEMPTS_BEFORE_REDIS, 30_000);
    await new Promise((resolve) => hangUp.close(resolve));
    redises.push(await startRedisServer({ dataDir: undefined, port: redisPort }));
    await waitFor(`/healthz (output so far: ${cascade.output().slice(-500)})`, async () => (await answers(port, '/healthz')) === 200, 20_000);
    expect(await answers(port, '/readyz')).toBe(200);
    expect(cascade.child.exitCode).toBeNull();
  }, 60_000);

  it('exits non-zero with one line when Redis does not come within CASCADE_REDIS_WAIT_MS', async () => {
    const [redisPort, port] = [await freePort(), await freePort()];
    const cascade = start(['serve'], { ...receiverEnv(redisPort, port), CASCADE_REDIS_WAIT_MS: '2000' });
    const exit = await cascade.exited;
    expect(exit.code).toBe(1);
    expect(cascade.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^cascade: Redis at redis:\/\/127\.0\.0\.1:\d+ did not answer within 2 s .*supervisor/)]);
  }, 30_000);

  it('refuses a Redis that may evict keys, with one line', async () => {
    const redis = await startRedisServer({ dataDir: undefined });
    redises.push(redis);
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    admin.disconnect();
    const cascade = start(['serve'], receiverEnv(redis.port, await freePort()));
    const exit = await cascade.exited;
    expect(exit.code).toBe(1);
    expect(cascade.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^cascade: Redis has maxmemory-policy allkeys-lru: .*noeviction/)]);
  }, 30_000);
});

describe('stopping', () => {
  it('stops the demo within 10 s of Ctrl-C to its process group, leaving no process behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cascade-ctrl-c-'));
    dirs.push(dataDir);
    const port = await freePort();
    // An admin token in the environment must not stop the banner's digest link from working.
    const cascade = start(['all'], { PORT: String(port), HOST: '127.0.0.1', CASCADE_DATA_DIR: dataDir, ADMIN_TOKEN: 'admin-token-for-the-ctrl-c-test' });
    const pgid = cascade.child.pid!;
    await waitFor(`/healthz (output so far: ${cascade.output().slice(-500)})`, async () => (await answers(port, '/healthz')) === 200, 60_000);
    const token = readFileSync(join(dataDir, 'demo-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(16);
    // The token is taken (202: the digest is still being computed for the first time).
    expect([200, 202]).toContain(await answers(port, `/digest?token=${token}`));

    // The workers run in a process of their own, in the group; the private redis-server outside it.
    await waitFor('the worker process', () => processGroup(pgid).length >= 2, 30_000);
    const group = processGroup(pgid);
    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis-server.pid'), 'utf8'));
    expect(alive(redisPid)).toBe(true);
    expect(group).not.toContain(redisPid);

    const sentAt = performance.now();
    process.kill(-pgid, 'SIGINT');
    const exit = await cascade.exited;
    expect(exit.at - sentAt).toBeLessThan(10_000);
    expect(exit.code, cascade.output().slice(-3000)).toBe(0);
    expect([...group, redisPid].filter(alive)).toEqual([]);
  }, 120_000);

  it('ends a SIGTERM to `cascade all` whose Redis disappeared within 10 s, with one line', async () => {
    const [redisPort, port] = [await freePort(), await freePort()];
    const redis = await startRedisServer({ dataDir: undefined, port: redisPort });
    redises.push(redis);
    const dataDir = mkdtempSync(join(tmpdir(), 'cascade-sigterm-'));
    dirs.push(dataDir);
    const cascade = start(['all'], { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), HOST: '127.0.0.1', CASCADE_DATA_DIR: dataDir });
    const pgid = cascade.child.pid!;
    await waitFor(`/healthz (output so far: ${cascade.output().slice(-500)})`, async () => (await answers(port, '/healthz')) === 200, 60_000);
    // Without ADMIN_TOKEN the demo makes two tokens: the digest link's opens no admin route.
    const digestToken = readFileSync(join(dataDir, 'demo-token'), 'utf8').trim();
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(await answers(port, '/admin/config', digestToken)).toBe(401);
    expect(await answers(port, '/admin/config', adminToken)).toBe(200);
    await waitFor('the worker process', () => processGroup(pgid).length >= 2, 30_000);
    const group = processGroup(pgid);

    await redis.stop();
    const sentAt = performance.now();
    process.kill(pgid, 'SIGTERM');
    const exit = await cascade.exited;
    expect(exit.at - sentAt).toBeLessThan(10_000);
    // Whether the stop finished or ran out of time, nothing is left running.
    await waitFor('every process of the group to be gone', () => group.filter(alive).length === 0, 2000);
  }, 120_000);
});

describe('the one-process default', () => {
  it('runs its workers in a process of their own that only takes CPU time the receiver leaves (idle scheduling class)', async () => {
    const [redisPort, port] = [await freePort(), await freePort()];
    redises.push(await startRedisServer({ dataDir: undefined, port: redisPort }));
    const dataDir = mkdtempSync(join(tmpdir(), 'cascade-idle-'));
    dirs.push(dataDir);
    const cascade = start(['all'], { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), HOST: '127.0.0.1', CASCADE_DATA_DIR: dataDir });
    const pgid = cascade.child.pid!;
    // The group also holds, for a moment, the chrt that sets the class: the worker is the `cascade work` process.
    const workers = (): number[] => processGroup(pgid).filter((pid) => commandLine(pid).includes('work'));
    await waitFor('the worker process', () => workers().length > 0, 60_000);
    expect(workers()).toHaveLength(1);
    const worker = workers()[0]!;
    // chrt (util-linux) sets the class just after the fork.
    await waitFor(`the worker process in the idle class (now ${JSON.stringify(scheduling(worker))})`, () => scheduling(worker).policy === SCHED_IDLE, 5000);
    expect(scheduling(worker).nice).toBe(19);
    // The receiver keeps the normal class: a webhook never waits for a check.
    expect(scheduling(pgid).policy).toBe(0);
    await waitFor(`/healthz (output so far: ${cascade.output().slice(-500)})`, async () => (await answers(port, '/healthz')) === 200, 60_000);
  }, 120_000);
});
