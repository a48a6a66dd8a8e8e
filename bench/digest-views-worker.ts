// The digest worker of the digest-views bench, in its own thread (as the
// workers run in their own process in production): the real BullMQ worker on
// the digest queue running the real job, reporting each recompute's duration.
import { parentPort, workerData } from 'node:worker_threads';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createQueues } from '../src/queue/queues.js';
import { QUEUE_NAMES, type DigestJob } from '../src/queue/job-types.js';
import { ConfigStore } from '../src/store/config-store.js';
import { DigestStore } from '../src/store/digest-store.js';
import { keysFor } from '../src/store/keys.js';
import { VerdictStore } from '../src/store/verdict-store.js';
import { runDigestJob } from '../workers/digest-job.js';
import { buildRecords } from './digest-fixture.js';
import { exampleConfig } from './cascade-kit.js';

export interface SeedSpec {
  redisUrl: string;
  prefix: string;
  tickets: number;
}

export interface DigestWorkerSpec {
  redisUrl: string;
  prefix: string;
  timeZone: string;
}

if (parentPort && workerData && (workerData as { digestWorker?: DigestWorkerSpec }).digestWorker) {
  const port = parentPort;
  const spec = (workerData as { digestWorker: DigestWorkerSpec }).digestWorker;
  const redis = new Redis(spec.redisUrl, { maxRetriesPerRequest: null });
  const keys = keysFor(spec.prefix);
  const queues = createQueues({ connection: redis, prefix: spec.prefix });
  const sources = { configStore: new ConfigStore(redis, keys), verdicts: new VerdictStore(redis, keys), digests: new DigestStore(redis, keys), timeZone: spec.timeZone };
  const logger = pino({ level: 'silent' });
  const worker = new Worker<DigestJob>(
    QUEUE_NAMES.digest,
    async (job) => {
      const started = performance.now();
      const result = await runDigestJob({ sources, queues, now: () => new Date(), logger }, job);
      if (result === 'computed') port.postMessage({ computedMs: performance.now() - started, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
      return result;
    },
    { connection: new Redis(spec.redisUrl, { maxRetriesPerRequest: null }), prefix: spec.prefix },
  );
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void Promise.allSettled([worker.close(), queues.close()])
      .then(() => redis.quit())
      .finally(() => port.postMessage({ stopped: true }));
  });
  void worker.waitUntilReady().then(() => port.postMessage({ ready: true }));
}

/** Writes the fixture's records straight into the verdict hash, in pipelined batches. */
async function seed(spec: SeedSpec): Promise<void> {
  const redis = new Redis(spec.redisUrl);
  try {
    const records = buildRecords(exampleConfig(), { count: spec.tickets, now: new Date() });
    const key = keysFor(spec.prefix).verdicts;
    for (let i = 0; i < records.length; i += 2000) {
      const batch: Record<string, string> = {};
      for (const r of records.slice(i, i + 2000)) batch[`${r.tracker}:${r.id}`] = JSON.stringify(r);
      await redis.hset(key, batch);
    }
  } finally {
    await redis.quit();
  }
}

if (parentPort && workerData && (workerData as { seeding?: SeedSpec }).seeding) {
  const port = parentPort;
  seed((workerData as { seeding: SeedSpec }).seeding).then(
    () => port.postMessage({ seeded: true }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
