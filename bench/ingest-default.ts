// Ingest of the one-process default (`cascade all`, `npm start`) with its
// workers busy: the real command runs as a process of its own (the receiver,
// and its workers in their child process) against a Linear sandbox, with no
// quiet period and no check limit, so every accepted delivery becomes an event
// job and a check that reads the tracker while the load goes on. Compared with
// a bare Fastify route (the receiver's raw-body parser, answering at once) in
// the same run. Needs `npm run build` (it runs dist/cli/cli.js).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, startRedisServer } from '../cli/redis-server.js';
import { buildLinearDelivery, envelopeFor, startLinearSandbox, seedDemoWorkspace } from '../sandbox/linear/index.js';
import { bareApp, ingestLoad, load, loadOnce, type IngestBenchOptions } from './ingest.js';
import { formatNumber, type Figure } from './figures.js';
import { waitUntil } from './cascade-kit.js';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { keysFor } from '../src/store/keys.js';
import { QUEUE_NAMES } from '../src/queue/job-types.js';

const CLI = fileURLToPath(new URL('../cli/cli.js', import.meta.url));
const pct = (share: number): string => `${Math.round(share * 100)}%`;

export async function runDefaultIngestBench(options: IngestBenchOptions = {}): Promise<{ ratio: number; figures: Figure[] }> {
  const { connections, warmupMs, durationMs, secret, spec } = ingestLoad(options);

  const bareResult = await loadOnce(await bareApp(), (port) => spec(port, '"ok":true'));

  const redis = await startRedisServer({ dataDir: undefined });
  const sandbox = await startLinearSandbox({ seed: (store) => seedDemoWorkspace(store) });
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
      CONFIG_FILE: 'config/strategy.example.yaml',
      CASCADE_QUIET_MS: '0',
      CASCADE_CHECKS_PER_SECOND: '100000',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const up = await waitUntil(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 30_000, 100);
    if (!up) throw new Error('cascade all did not answer /healthz within 30 s');
    // The worker process is up once a first delivery has led to a tracker read.
    const store = sandbox.store;
    const first = [...store.issues.values()][0]!;
    const delivery = buildLinearDelivery(secret, envelopeFor(store, { type: 'Issue', action: 'update', record: first, actorId: store.person.id }, { webhookId: 'bench' }));
    await fetch(`http://127.0.0.1:${port}/webhooks/linear`, { method: 'POST', headers: delivery.headers, body: delivery.body }).then((r) => r.arrayBuffer());
    if (!(await waitUntil(() => sandbox.requestCount() > 0, 60_000, 50))) throw new Error('the worker process of cascade all made no tracker read within 60 s');
    const readsBefore = sandbox.requestCount();
    const result = await load(spec(port, '"status":"queued"'));
    const trackerReads = sandbox.requestCount() - readsBefore;
    const left = await notYetHandled(redis.url);
    // The workers' share: accepted deliveries (and the first one) no longer in the inbox or the events queue.
    const handled = result.acceptedTotal + 1 - left.total;
    const ratio = result.perSecond / bareResult.perSecond;
    const how = `${connections} keep-alive connections, ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s measured`;
    return {
      ratio,
      figures: [
        { bench: 'ingest', name: 'bare Fastify route (baseline for cascade all)', value: Math.round(bareResult.perSecond), unit: 'req/s', note: `${how}; p99 ${formatNumber(bareResult.p99Ms)} ms; server busy ${pct(bareResult.serverBusy)}` },
        { bench: 'ingest', name: 'cascade all, workers busy', value: Math.round(result.perSecond), unit: 'req/s', note: `p50 ${formatNumber(result.p50Ms)} ms, p99 ${formatNumber(result.p99Ms)} ms; statuses ${JSON.stringify(result.statuses)}` },
        {
          bench: 'ingest',
          name: 'events the workers handled meanwhile',
          value: handled,
          unit: 'events',
          note: `of ${(result.acceptedTotal + 1).toLocaleString('en')} accepted (warm-up and measured time); ${left.inbox.toLocaleString('en')} in the inbox, ${left.queued.toLocaleString('en')} in the events queue, ${left.failed} failed; ${trackerReads.toLocaleString('en')} tracker requests`,
        },
        { bench: 'ingest', name: 'cascade all / bare', value: Number(ratio.toFixed(3)), unit: '×', target: { op: '>=', value: 0.4 } },
      ],
    };
  } finally {
    // A Cascade that already exited (it failed to start) has no exit left to wait for.
    if (cascade.exitCode === null && cascade.signalCode === null) {
      const exited = once(cascade, 'exit');
      cascade.kill('SIGTERM');
      await exited;
    }
    await sandbox.close();
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
