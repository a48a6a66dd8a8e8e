// Faults under load: while signed deliveries keep arriving, Cascade (`cascade
// all`: the receiver and its worker process) is killed with kill -9, stopped
// with Ctrl-C (SIGINT to its whole process group), redis-server is killed with
// kill -9, and paused (SIGSTOP) for a few seconds. Cascade runs under a
// supervisor that restarts it whenever it exits, as a restart policy would.
// Every delivery answered 200 must end as a labelled ticket with exactly one
// Cascade comment; none may get a 500; a stalled Redis must give answers
// (503) within 2 s; Ctrl-C must stop Cascade within 10 s.
// Deliveries that are refused are retried, as Linear and Jira retry them.
// With `--cluster` (or CASCADE_BENCH_CLUSTER=1) Redis is a local three-node
// Redis Cluster instead, named by a node that does not serve `{cascade}`; the
// node that does is the one paused and killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { freePort } from '../cli/redis-server.js';
import { INBOX_LOCK_MS } from '../cli/start-workers.js';
import { startRedisCluster } from '../test/support/redis-cluster.js';
import { startLinearSandbox, seedDemoWorkspace, envelopeFor, buildLinearDelivery } from '../sandbox/linear/index.js';

export interface FaultFigures {
  deliveries: number;
  accepted: number;
  lost: number;
  /** From the last delivery to the last accepted ticket marked, in ms (a worker killed while it held the inbox lock delays its successor by up to the lock's life). */
  catchUpMs: number;
  duplicateComments: number;
  answers500: number;
  answers503: number;
  cascadeKills: number;
  redisKills: number;
  /** Ctrl-C (SIGINT to the process group) sent, and how long each stop took. */
  ctrlC: number;
  ctrlCStopMs: number[];
  /** Redis was a three-node Redis Cluster. */
  cluster: boolean;
  /** Times Cascade exited and the supervisor started it again. */
  restarts: number;
  /** While redis-server was paused: answers by status, the slowest answer, and requests that got no answer in 5 s. */
  stall: { ms: number; answers: Record<number, number>; slowestMs: number; unanswered: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startRedis(port: number, dir: string): ChildProcess {
  // As Cascade's private redis-server runs it: an append-only file, fsync'd as `npm start` does.
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

interface Supervised {
  current(): ChildProcess;
  /** Signals the whole process group of the running Cascade; resolves when it exited, with the time it took. */
  signalGroup(signal: NodeJS.Signals): Promise<number>;
  stop(): Promise<void>;
}

/** Runs `cascade all` in a process group of its own (as a terminal or a container does) and restarts it whenever it exits. */
function supervise(env: NodeJS.ProcessEnv, figures: FaultFigures): Supervised {
  let stopped = false;
  let child: ChildProcess;
  const start = (): void => {
    // CASCADE_BENCH_LOG=<file>: Cascade's own log lines go there (appended across restarts), to see why a run missed.
    const logFile = process.env.CASCADE_BENCH_LOG;
    const out = logFile ? openSync(logFile, 'a') : 'ignore';
    child = spawn(process.execPath, ['dist/cli/cli.js', 'all'], { env, stdio: ['ignore', out, out], detached: true });
    if (typeof out === 'number') closeSync(out);
    child.once('exit', () => {
      if (stopped) return;
      figures.restarts++;
      setTimeout(start, 200);
    });
  };
  start();
  const signalGroup = async (signal: NodeJS.Signals): Promise<number> => {
    const target = child;
    const exited = once(target, 'exit');
    const sentAt = performance.now();
    process.kill(-target.pid!, signal);
    await exited;
    return performance.now() - sentAt;
  };
  return {
    current: () => child,
    signalGroup,
    async stop() {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) await signalGroup('SIGTERM');
    },
  };
}

/** The Redis under fire: one redis-server, or the node of a cluster that serves Cascade's keys. */
interface RedisUnderFire {
  url: string;
  /** The process to pause (SIGSTOP) and kill. */
  process(): ChildProcess;
  /** After a kill -9: starts it again on the same port and files. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function singleRedis(dir: string): Promise<RedisUnderFire> {
  const port = await freePort();
  let redis = startRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    process: () => redis,
    async restart() {
      await sleep(1000);
      redis = startRedis(port, dir);
    },
    async stop() {
      redis.kill('SIGTERM');
    },
  };
}

async function clusterRedis(): Promise<RedisUnderFire> {
  const cluster = await startRedisCluster({ appendOnly: true });
  const owner = await cluster.ownerOf(await cluster.slotOf('{cascade}'));
  return {
    url: cluster.clusterUrl(await cluster.nodeNotOwning('{cascade}')),
    process: () => cluster.processOf(owner),
    restart: () => cluster.restart(owner, 1000),
    stop: () => cluster.stop(),
  };
}

/** Pauses Redis with SIGSTOP for `ms`, then resumes it; `during` tells the deliveries to time their answers. */
async function stallRedis(redis: ChildProcess, ms: number, during: { active: boolean }): Promise<void> {
  redis.kill('SIGSTOP');
  during.active = true;
  try {
    await sleep(ms);
  } finally {
    during.active = false;
    redis.kill('SIGCONT');
  }
}

export async function runFaultBench(count = 300, options: { cluster?: boolean } = {}): Promise<FaultFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-faults-'));
  const redis = options.cluster ? await clusterRedis() : await singleRedis(dir);
  const sandbox = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store) });
  const { store } = sandbox;
  const port = await freePort();
  const secret = randomUUID();
  const adminToken = randomUUID();
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LINEAR_API_KEY: sandbox.apiKey,
    LINEAR_API_URL: sandbox.apiUrl,
    LINEAR_WEBHOOK_SECRET: secret,
    ADMIN_TOKEN: adminToken,
    CONFIG_FILE: 'config/strategy.example.yaml',
    CASCADE_QUIET_MS: '200',
    LOG_LEVEL: process.env.CASCADE_BENCH_LOG ? 'info' : 'error',
  };
  const healthy = (): Promise<boolean> => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok);
  const figures: FaultFigures = {
    cluster: options.cluster ?? false, deliveries: count, accepted: 0, lost: 0, catchUpMs: 0, duplicateComments: 0, answers500: 0, answers503: 0, cascadeKills: 0, redisKills: 0,
    ctrlC: 0, ctrlCStopMs: [], restarts: 0, stall: { ms: 3000, answers: {}, slowestMs: 0, unanswered: 0 },
  };
  // Cascade waits for Redis by itself at start-up (CASCADE_REDIS_WAIT_MS); no need to wait for it here.
  const cascade = supervise(env, figures);
  await waitFor(healthy, 30_000);

  const stalled = { active: false };
  const accepted: string[] = [];
  const deliver = async (issueId: string): Promise<void> => {
    const issue = store.requireIssue(issueId);
    const deliveryId = randomUUID();
    for (let attempt = 0; attempt < 300; attempt++) {
      // Re-signed each time with a fresh timestamp, as a sender retrying later would.
      const delivery = buildLinearDelivery(secret, envelopeFor(store, { type: 'Issue', action: 'create', record: issue, actorId: store.person.id }, { webhookId: 'faults' }), deliveryId);
      const duringStall = stalled.active;
      const sentAt = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (duringStall) {
          figures.stall.answers[res.status] = (figures.stall.answers[res.status] ?? 0) + 1;
          figures.stall.slowestMs = Math.max(figures.stall.slowestMs, performance.now() - sentAt);
        }
        if (res.status === 500) figures.answers500++;
        if (res.status === 503) figures.answers503++;
        if (res.status === 200) {
          accepted.push(issueId);
          return;
        }
      } catch (err) {
        // Connection refused while the process restarts: the sender retries. No answer in 5 s during a stall is a failure.
        if (duringStall && (err as Error).name === 'TimeoutError') figures.stall.unanswered++;
      }
      await sleep(200);
    }
  };

  const inFlight: Promise<void>[] = [];
  const faults: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const issue = store.createIssue({ team: 'ENG', title: `Orphan under fire ${i}`, createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    inFlight.push(deliver(issue.id));
    if (i === Math.floor(count / 5)) {
      // kill -9 of the receiver and its worker process at once (a crashed container); the supervisor restarts it.
      await cascade.signalGroup('SIGKILL');
      figures.cascadeKills++;
    }
    if (i === Math.floor((2 * count) / 5)) {
      await waitFor(healthy, 30_000);
      figures.ctrlCStopMs.push(await cascade.signalGroup('SIGINT'));
      figures.ctrlC++;
    }
    if (i === Math.floor((3 * count) / 5)) {
      // Started in the background: deliveries keep coming while Redis is paused.
      await waitFor(healthy, 30_000);
      faults.push(stallRedis(redis.process(), figures.stall.ms, stalled));
    }
    if (i === Math.floor((4 * count) / 5)) {
      await Promise.all(faults);
      redis.process().kill('SIGKILL');
      figures.redisKills++;
      await redis.restart();
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
  figures.accepted = accepted.length;

  const marked = (id: string): boolean => store.labelNamesOf(id).includes('no-objective') && store.commentsOn(id).some((c) => c.userId === store.bot.id);
  // Lost means never marked: waited for longer than the inbox lock lives, since a worker process killed while it
  // moved the inbox leaves its lock behind, and the next mover takes the inbox only once that lock has expired.
  const sent = performance.now();
  await waitFor(async () => accepted.every(marked), INBOX_LOCK_MS + 60_000);
  figures.catchUpMs = Math.round(performance.now() - sent);
  figures.lost = accepted.filter((id) => !marked(id)).length;
  figures.duplicateComments = accepted.filter((id) => store.commentsOn(id).filter((c) => c.userId === store.bot.id).length > 1).length;

  await cascade.stop();
  await redis.stop();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const f = await runFaultBench(300, { cluster: process.argv.includes('--cluster') || process.env.CASCADE_BENCH_CLUSTER === '1' });
  const stall = Object.entries(f.stall.answers).map(([status, n]) => `${n}×${status}`).join(', ') || 'none';
  console.log(
    `faults${f.cluster ? ' (Redis Cluster, three masters)' : ''}: ${f.accepted}/${f.deliveries} deliveries accepted across ${f.cascadeKills} kill -9 of Cascade (receiver and workers), ${f.ctrlC} Ctrl-C, ` +
      `${f.redisKills} kill -9 of ${f.cluster ? "the cluster node serving Cascade's keys" : 'redis-server'} and a ${f.stall.ms / 1000} s SIGSTOP of it; ${f.restarts} restarts by the supervisor; ` +
      `lost ${f.lost} (target 0; all marked ${(f.catchUpMs / 1000).toFixed(1)} s after the last delivery), duplicate comments ${f.duplicateComments} (target 0), answers 500: ${f.answers500} (target 0), 503 during the outages: ${f.answers503}; ` +
      `Ctrl-C stopped Cascade in ${f.ctrlCStopMs.map((ms) => `${Math.round(ms)} ms`).join(', ')} (target < 10 s); ` +
      `while Redis was paused: answers ${stall}, slowest ${Math.round(f.stall.slowestMs)} ms (target < 2000), unanswered in 5 s: ${f.stall.unanswered} (target 0)`,
  );
  const ok = f.lost === 0 && f.duplicateComments === 0 && f.answers500 === 0 && f.ctrlCStopMs.every((ms) => ms < 10_000) && f.stall.slowestMs < 2000 && f.stall.unanswered === 0;
  process.exit(ok ? 0 : 1);
}
