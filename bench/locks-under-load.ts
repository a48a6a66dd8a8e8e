// Locks under load (PRODUCT.md, "Workers keep their locks"): `cascade all`, as
// users run it (the built CLI, its workers' child at the priority it gives
// them), against a Linear sandbox, while other processes keep both cores busy.
// BUSY_PROCESSES busy-loop node processes at normal priority run for
// SATURATE_MS (bounded); meanwhile a sweep of every ticket runs and signed
// webhooks move tickets between projects at WEBHOOKS_PER_SECOND (each a check).
// Then the load stops and Cascade finishes its work. Counted:
// - stalled jobs: BullMQ's `stalled` events on every queue (a job whose lock
//   lapsed and was taken back), and jobs failed for stalling too often;
// - lapsed inbox locks: the inbox's own counter (src/queue/inbox.ts), bumped
//   when a mover finds its lock gone before it could trim what it moved;
// - duplicate comments: sandbox tickets with more than one comment by Cascade.
// The sandbox stays at normal priority here: it stands for Linear's servers,
// which a busy machine of Cascade's does not slow down. Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { Queue, QueueEvents } from 'bullmq';
import { freePort, startRedisServer } from '../cli/redis-server.js';
import { buildLinearDelivery, type LinearWebhookEnvelope } from '../sandbox/linear/index.js';
import { keysFor } from '../src/store/keys.js';
import { checkQueueOf, QUEUE_NAMES } from '../src/queue/job-types.js';
import { TRACKER_IDS } from '../src/trackers/registry.js';
import { issueUpdateTemplate } from './ingest.js';
import { forkLinearSandbox } from './linear-sandbox-process.js';
import { pendingWork, sleep, waitUntil } from './cascade-kit.js';
import type { Figure } from './figures.js';

const CLI = fileURLToPath(new URL('../cli/cli.js', import.meta.url));

export interface LocksBenchOptions {
  tickets?: number;
  /** Busy-loop processes at normal priority. Default 4 (two per core here). */
  busyProcesses?: number;
  /** How long the cores are kept busy. Default 60 s: twice BullMQ's default lock. */
  saturateMs?: number;
  webhooksPerSecond?: number;
  /** Longest wait for Cascade to finish after the load. Default 120 s. */
  drainMs?: number;
}

export interface LocksBenchResult {
  stalled: number;
  stalledFailed: number;
  inboxLapses: number;
  duplicateComments: number;
  figures: Figure[];
}

/** A node process spinning for `ms` at normal priority, then exiting on its own. */
function busyLoop(ms: number): ChildProcess {
  return spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;`], { stdio: 'ignore' });
}

export async function runLocksBench(options: LocksBenchOptions = {}): Promise<LocksBenchResult> {
  const tickets = options.tickets ?? 5000;
  const busy = options.busyProcesses ?? 4;
  const saturateMs = options.saturateMs ?? 60_000;
  const rate = options.webhooksPerSecond ?? 20;
  const drainMs = options.drainMs ?? 120_000;
  const secret = 'locks-bench-secret';
  const adminToken = 'locks-bench-admin-token-0123456789';

  const sandbox = await forkLinearSandbox(tickets, { idle: false });
  const redis = await startRedisServer({ dataDir: undefined });
  const port = await freePort();
  const cascade = spawn(process.execPath, [CLI, 'all'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LINEAR_API_KEY: sandbox.apiKey,
      LINEAR_API_URL: sandbox.apiUrl,
      LINEAR_WEBHOOK_SECRET: secret,
      ADMIN_TOKEN: `bench:${adminToken}`,
      CONFIG_FILE: 'config/strategy.example.yaml',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const names = [QUEUE_NAMES.events, ...TRACKER_IDS.map(checkQueueOf), QUEUE_NAMES.fanout, QUEUE_NAMES.sweeps, QUEUE_NAMES.digest];
  const listeners = names.map((name) => new QueueEvents(name, { connection: redis.url ? { url: redis.url } : {}, prefix: '{cascade}' }));
  const queues = names.map((name) => new Queue(name, { connection, prefix: '{cascade}' }));
  const stalledJobs: string[] = [];
  let stalledFailed = 0;
  listeners.forEach((events, i) => {
    events.on('stalled', ({ jobId }) => void stalledJobs.push(`${names[i]}:${jobId}`));
    events.on('failed', ({ failedReason }) => {
      if (/stalled/i.test(failedReason)) stalledFailed++;
    });
  });
  const loops: ChildProcess[] = [];
  try {
    await Promise.all(listeners.map((l) => l.waitUntilReady()));
    const up = await waitUntil(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 30_000, 100);
    if (!up) throw new Error('cascade all did not answer /healthz within 30 s');
    // The workers' process is up once a first delivery has led to a tracker read.
    const readsAtStart = await sandbox.requestCount();
    await post(port, buildLinearDelivery(secret, { ...sandbox.firstEnvelope, webhookTimestamp: Date.now() }));
    if (!(await waitUntil(async () => (await sandbox.requestCount()) > readsAtStart, 60_000, 50))) throw new Error('the workers of cascade all made no tracker read within 60 s');

    const started = Date.now();
    for (let i = 0; i < busy; i++) loops.push(busyLoop(saturateMs));
    // A sweep of every ticket (pages, and a check for each ticket whose marks are missing) and webhooks meanwhile.
    const sweep = await fetch(`http://127.0.0.1:${port}/admin/recheck`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    if (!sweep.ok) throw new Error(`POST /admin/recheck answered ${sweep.status}: ${await sweep.text()}`);
    const template = JSON.parse(issueUpdateTemplate('project')) as LinearWebhookEnvelope & { data: { id: string } };
    let sent = 0;
    let refused = 0;
    const inFlight: Array<Promise<void>> = [];
    while (Date.now() - started < saturateMs) {
      const due = started + (sent * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const envelope = { ...template, data: { ...template.data, id: sandbox.tickets[(sent * 7919) % sandbox.tickets.length]! }, webhookTimestamp: Date.now() };
      sent++;
      inFlight.push(post(port, buildLinearDelivery(secret, envelope as LinearWebhookEnvelope)).then((status) => void (status === 200 || refused++)));
    }
    await Promise.all(inFlight);
    await Promise.all(loops.map((l) => (l.exitCode === null ? once(l, 'exit') : undefined)));
    const saturatedMs = Date.now() - started;
    // Stalls are noticed by BullMQ's checker (every 30 s) once the workers run again: wait for the work and one more check.
    const inbox = keysFor().inbox;
    const drained = await waitUntil(async () => (await connection.llen(inbox)) === 0 && (await Promise.all(queues.map(pendingWork))).every((n) => n === 0), drainMs, 500);
    await sleep(31_000);
    const inboxLapses = Number((await connection.get(keysFor().inboxLockLapses)) ?? 0);
    const duplicateComments = await sandbox.duplicateComments();
    const requests = await sandbox.requestCount();
    const finishedMs = Date.now() - started;
    const stalled = stalledJobs.length;
    const note = `${busy} busy-loop processes at normal priority on ${cpus().length} cores for ${Math.round(saturatedMs / 1000)} s; a sweep of ${tickets.toLocaleString('en')} tickets and ${sent} webhooks (${rate}/s, ${refused} not 200); ${drained ? `all work done ${Math.round(finishedMs / 1000 - 31)} s after the start` : `work still pending after ${drainMs / 1000} s more`}; ${requests.toLocaleString('en')} tracker requests`;
    const figures: Figure[] = [
      { bench: 'locks', name: 'stalled jobs (lock lapsed, job taken back)', value: stalled, unit: 'jobs', target: { op: '==', value: 0 }, note: stalled ? `${note}; ${[...new Set(stalledJobs.map((j) => j.split(':')[0]))].join(', ')}` : note },
      { bench: 'locks', name: 'jobs failed for stalling', value: stalledFailed, unit: 'jobs', target: { op: '==', value: 0 } },
      { bench: 'locks', name: 'lapsed inbox locks', value: inboxLapses, unit: '', target: { op: '==', value: 0 } },
      { bench: 'locks', name: 'duplicate comments in the sandbox', value: duplicateComments, unit: 'tickets', target: { op: '==', value: 0 } },
    ];
    return { stalled, stalledFailed, inboxLapses, duplicateComments, figures };
  } finally {
    for (const l of loops) if (l.exitCode === null) l.kill('SIGKILL');
    if (cascade.exitCode === null && cascade.signalCode === null) {
      const exited = once(cascade, 'exit');
      cascade.kill('SIGTERM');
      await exited;
    }
    await Promise.allSettled([...listeners.map((l) => l.close()), ...queues.map((q) => q.close())]);
    connection.disconnect();
    await redis.stop();
    await sandbox.close();
  }
}

async function post(port: number, delivery: { headers: Record<string, string>; body: string | Buffer }): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runLocksBench({ saturateMs: process.env.BENCH_SATURATE_MS ? Number(process.env.BENCH_SATURATE_MS) : undefined });
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
