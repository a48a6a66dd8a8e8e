// The threads of the forecast-review bench: seeding Redis with the synthetic
// workspace (bench/forecast.ts) as the stores keep it, and the workers' digest
// queue running the real forecast job (the workers' process in production),
// reporting each computation's duration.
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
import { CompletionStore } from '../src/store/completion-store.js';
import { WorkspaceSignalsStore } from '../src/store/workspace-signals-store.js';
import { ForecastStore } from '../src/store/forecast-store.js';
import type { CompletionRecord } from '../src/records/completion-record.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { runDigestJob } from '../workers/digest-job.js';
import { forecastWorkspace, NOW, TZ } from './forecast.js';

export interface ForecastSeedSpec {
  redisUrl: string;
  prefix: string;
}

export interface ForecastWorkerSpec {
  redisUrl: string;
  prefix: string;
}

/** The workspace as Cascade stores it: a completion record per done ticket, a verdict record (ranked) per open one. */
async function seed(spec: ForecastSeedSpec): Promise<void> {
  const redis = new Redis(spec.redisUrl);
  try {
    const keys = keysFor(spec.prefix);
    const ws = forecastWorkspace('mixed');
    const createdAt = new Map(ws.created.map((c) => [c.key, c]));
    const done = new Set(ws.completions.map((c) => c.key));
    for (let i = 0; i < ws.completions.length; i += 2000) {
      const multi = redis.multi();
      for (const c of ws.completions.slice(i, i + 2000)) {
        const record: CompletionRecord = {
          tracker: 'linear', id: c.key, key: c.key, team: c.team, estimate: c.estimate ?? null, createdAt: createdAt.get(c.key)!.createdAt, doneAt: c.doneAt,
          doneKind: 'completed', doneFrom: 'tracker', verdict: c.verdict, objectiveIds: [...c.nodeIds], source: 'backfill', configVersion: 1,
        };
        multi.hset(keys.completions, `linear:${c.key}`, JSON.stringify(record)).zadd(keys.completionsByDone, Date.parse(c.doneAt), `linear:${c.key}`);
      }
      await multi.exec();
    }
    const open = ws.created.filter((c) => !done.has(c.key));
    for (let i = 0; i < open.length; i += 2000) {
      const batch: Record<string, string> = {};
      open.slice(i, i + 2000).forEach((c, k) => {
        const record: VerdictRecord = {
          tracker: 'linear', id: c.key, key: c.key, title: `Ticket ${c.key}`, team: c.team, state: 'open', estimate: 2,
          verdict: c.nodeIds.length ? 'aligned' : 'orphan', objectiveIds: [...c.nodeIds], checkedAt: NOW.toISOString(), configVersion: 1, createdAt: c.createdAt, rank: i + k,
        };
        batch[`linear:${c.key}`] = JSON.stringify(record);
      });
      await redis.hset(keys.verdicts, batch);
    }
  } finally {
    await redis.quit();
  }
}

if (parentPort && workerData && (workerData as { seeding?: ForecastSeedSpec }).seeding) {
  const port = parentPort;
  seed((workerData as { seeding: ForecastSeedSpec }).seeding).then(
    () => port.postMessage({ seeded: true }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}

if (parentPort && workerData && (workerData as { forecastWorker?: ForecastWorkerSpec }).forecastWorker) {
  const port = parentPort;
  const spec = (workerData as { forecastWorker: ForecastWorkerSpec }).forecastWorker;
  const redis = new Redis(spec.redisUrl, { maxRetriesPerRequest: null });
  const keys = keysFor(spec.prefix);
  const queues = createQueues({ connection: redis, prefix: spec.prefix });
  const configStore = new ConfigStore(redis, keys, { timeZone: TZ });
  const verdicts = new VerdictStore(redis, keys);
  const sources = { configStore, verdicts, digests: new DigestStore(redis, keys), timeZone: TZ };
  const forecast = { configStore, verdicts, completions: new CompletionStore(redis, keys), signals: new WorkspaceSignalsStore(redis, keys), forecasts: new ForecastStore(redis, keys), timeZone: TZ };
  const logger = pino({ level: 'silent' });
  const worker = new Worker<DigestJob>(
    QUEUE_NAMES.digest,
    async (job) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await runDigestJob({ sources, queues, now: () => NOW, logger, forecast }, job);
      const used = process.cpuUsage(cpu);
      if (job.data.kind === 'forecast') port.postMessage({ computedMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, readMs: Number(/\((\d+) ms reading\)/.exec(result)?.[1] ?? NaN) });
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
