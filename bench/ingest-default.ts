// Ingest of the one-process default (`cascade all`, `npm start`) with its
// workers busy: the real command runs as a process of its own (the receiver,
// and its workers in their child process) against a Linear sandbox holding
// 10,000 tickets (in a process of its own, at idle priority: Linear's CPU is
// not on Cascade's machine; bench/linear-sandbox-process.ts), while every delivery moves one of them to another project
// (a check, and a fan-out over what hangs under it). Compared with a bare
// Fastify route (the receiver's raw-body parser, answering at once) in the
// same run. Measured twice: with Cascade's default settings, as `npm start`
// runs (the target), and with no quiet period and no check limit, so every
// delivery becomes a check that reads the tracker while the load goes on (a
// harsher case than a real tracker's rate limits allow). Needs `npm run build`
// (it runs dist/cli/cli.js).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { freePort, startRedisServer } from '../cli/redis-server.js';
import { buildLinearDelivery } from '../sandbox/linear/index.js';
import { keysFor } from '../src/store/keys.js';
import { QUEUE_NAMES } from '../src/queue/job-types.js';
import { bareApp, ingestLoad, load, loadOnce, type IngestBenchOptions, type IngestLoad } from './ingest.js';
import { forkLinearSandbox, type SandboxProcess } from './linear-sandbox-process.js';
import { formatNumber, type Figure } from './figures.js';
import { waitUntil } from './cascade-kit.js';

const CLI = fileURLToPath(new URL('../cli/cli.js', import.meta.url));
const TICKETS = 10_000;
const pct = (share: number): string => `${Math.round(share * 100)}%`;

interface Setting {
  name: string;
  env: Record<string, string>;
  /** The target holds for the default settings only. */
  target: boolean;
}

const SETTINGS: Setting[] = [
  { name: 'default settings', env: {}, target: true },
  { name: 'no quiet period, no check limit', env: { CASCADE_QUIET_MS: '0', CASCADE_CHECKS_PER_SECOND: '100000' }, target: false },
];

export async function runDefaultIngestBench(options: IngestBenchOptions = {}): Promise<{ ratio: number; figures: Figure[] }> {
  // One sandbox for both settings (its tracker rate limit out of the way): the deliveries name its tickets.
  const sandbox = await forkLinearSandbox(TICKETS);
  try {
    const ingest = ingestLoad(options, { change: 'project', tickets: sandbox.tickets });
    const { connections, warmupMs, durationMs, spec } = ingest;
    const bare = await loadOnce(await bareApp(), (port) => spec(port, '"ok":true'));
    const figures: Figure[] = [
      { bench: 'ingest', name: 'bare Fastify route (baseline for cascade all)', value: Math.round(bare.perSecond), unit: 'req/s', note: `${connections} keep-alive connections, ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s measured; p99 ${formatNumber(bare.p99Ms)} ms; server busy ${pct(bare.serverBusy)}` },
    ];
    let ratio = 0;
    for (const setting of SETTINGS) {
      const run = await measureCascadeAll(sandbox, ingest, setting);
      const r = run.perSecond / bare.perSecond;
      if (setting.target) ratio = r;
      figures.push(
        { bench: 'ingest', name: `cascade all, ${setting.name}`, value: Math.round(run.perSecond), unit: 'req/s', note: `p50 ${formatNumber(run.p50Ms)} ms, p99 ${formatNumber(run.p99Ms)} ms; statuses ${JSON.stringify(run.statuses)}` },
        {
          bench: 'ingest',
          name: 'events the workers handled meanwhile',
          value: run.handled,
          unit: 'events',
          note: `of ${run.accepted.toLocaleString('en')} accepted (warm-up and measured time); ${run.left.inbox.toLocaleString('en')} in the inbox, ${run.left.queued.toLocaleString('en')} in the events queue, ${run.left.failed} failed; ${run.trackerRequests.toLocaleString('en')} tracker requests`,
        },
        { bench: 'ingest', name: `cascade all / bare, ${setting.name}`, value: Number(r.toFixed(3)), unit: '×', ...(setting.target ? { target: { op: '>=' as const, value: 0.4 } } : {}) },
      );
    }
    return { ratio, figures };
  } finally {
    await sandbox.close();
  }
}

/** Starts `cascade all` with the setting on a fresh Redis, waits for its workers, and runs the load against it. */
async function measureCascadeAll(sandbox: SandboxProcess, ingest: IngestLoad, setting: Setting) {
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
      LINEAR_WEBHOOK_SECRET: ingest.secret,
      CONFIG_FILE: 'config/strategy.example.yaml',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      ...setting.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const up = await waitUntil(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 30_000, 100);
    if (!up) throw new Error('cascade all did not answer /healthz within 30 s');
    // The worker process is up once a first delivery (a new ticket: checked at once) has led to a tracker read.
    const readsAtStart = await sandbox.requestCount();
    const delivery = buildLinearDelivery(ingest.secret, { ...sandbox.firstEnvelope, webhookTimestamp: Date.now() });
    await fetch(`http://127.0.0.1:${port}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body }).then((r) => r.arrayBuffer());
    if (!(await waitUntil(async () => (await sandbox.requestCount()) > readsAtStart, 60_000, 50))) throw new Error('the worker process of cascade all made no tracker read within 60 s');
    const readsBefore = await sandbox.requestCount();
    const result = await load(ingest.spec(port, '"status":"queued"'));
    const trackerRequests = (await sandbox.requestCount()) - readsBefore;
    const left = await notYetHandled(redis.url);
    // The workers' share: accepted deliveries (and the first one) no longer in the inbox or the events queue.
    const accepted = result.acceptedTotal + 1;
    return { ...result, accepted, handled: accepted - left.total, left, trackerRequests };
  } finally {
    // A Cascade that already exited (it failed to start) has no exit left to wait for.
    if (cascade.exitCode === null && cascade.signalCode === null) {
      const exited = once(cascade, 'exit');
      cascade.kill('SIGTERM');
      await exited;
    }
    await redis.stop();
  }
}

/** Deliveries still in the inbox or in the events queue (waiting, active, delayed), and failed events. */
async function notYetHandled(redisUrl: string): Promise<{ inbox: number; queued: number; failed: number; total: number }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: '{cascade}' });
  try {
    const inbox = await redis.llen(keysFor().inbox);
    const counts = await events.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
    const queued = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
    return { inbox, queued, failed: counts.failed ?? 0, total: inbox + queued + (counts.failed ?? 0) };
  } finally {
    await events.close();
    redis.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runDefaultIngestBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
