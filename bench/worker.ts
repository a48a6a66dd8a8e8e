// Worker: checks/s of the real check worker (startWorkers, with the
// WorkerContext startCascade assembles) against a Linear sandbox that answers
// in 20 ms, tracker reads per check with warm caches, and writes on a second
// pass over tickets that did not change. The sandbox runs in a worker thread.
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { startWorkers } from '../cli/start-workers.js';
import { scheduleChecks } from '../src/queue/enqueue.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import type { CheckJob } from '../src/queue/job-types.js';
import { benchEnv, benchLogger, counterTotal, exampleConfig, waitUntil } from './cascade-kit.js';
import type { TrackerHostMessage, TrackerHostSpec } from './tracker-host.js';
import { formatNumber, type Figure } from './figures.js';

export interface WorkerBenchOptions {
  issues?: number;
  delayMs?: number;
  /** Passed to startWorkers. */
  checkConcurrency?: number;
  /** Passed to startWorkers (BullMQ's global limiter, per second). */
  checksPerSecond?: number;
  /** Per pass. */
  timeoutMs?: number;
}

export interface PassResult {
  checks: number;
  seconds: number;
  perSecond: number;
  reads: number;
  writes: number;
  complete: boolean;
}

export interface WorkerBenchResult {
  warm: PassResult;
  measured: PassResult;
  figures: Figure[];
}

class TrackerHost {
  private constructor(private readonly worker: Worker) {}

  static async start(spec: TrackerHostSpec): Promise<{ host: TrackerHost; apiUrl: string; apiKey: string; issueIds: string[] }> {
    const worker = new Worker(new URL('./tracker-host.js', import.meta.url), { workerData: { trackerHost: spec } });
    const host = new TrackerHost(worker);
    const message = await host.next();
    if (!('ready' in message)) throw new Error(`tracker host failed: ${'error' in message ? message.error : 'no ready message'}`);
    return { host, ...message.ready };
  }

  private next(): Promise<TrackerHostMessage> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
  }

  async counts(): Promise<{ reads: number; writes: number }> {
    const answer = this.next();
    this.worker.postMessage('counts');
    const message = await answer;
    if (!('counts' in message)) throw new Error('tracker host: expected counts');
    return message.counts;
  }

  async close(): Promise<void> {
    const answer = this.next();
    this.worker.postMessage('close');
    await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await this.worker.terminate();
  }
}

export async function runWorkerBench(options: WorkerBenchOptions = {}): Promise<WorkerBenchResult> {
  const issues = options.issues ?? 2000;
  const delayMs = options.delayMs ?? 20;
  const checkConcurrency = options.checkConcurrency ?? 64;
  const checksPerSecond = options.checksPerSecond ?? 5000;
  const timeoutMs = options.timeoutMs ?? 40_000;

  const redis = await startRedisServer({ dataDir: undefined });
  const { host, apiUrl, apiKey, issueIds } = await TrackerHost.start({ issues, delayMs, needsMarks: 0.2 });
  try {
    // startCascade assembles the context exactly as production does; its
    // 'work' role would start the workers with the default concurrency and
    // limiter (16, 40/s), which it offers no way to raise, so the workers are
    // started here with the same context and the options startWorkers takes.
    const cascade = await startCascade({
      role: 'serve',
      env: benchEnv({ CASCADE_QUIET_MS: '0' }),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: { linear: new LinearTracker({ apiKey, apiUrl }) },
      seedConfig: exampleConfig(),
      prefix: '{bench-worker}',
    });
    const workers = await startWorkers(cascade.context, {
      redisUrl: redis.url,
      prefix: '{bench-worker}',
      keys: cascade.keys,
      checkConcurrency,
      checksPerSecond,
    });
    try {
      const jobs: CheckJob[] = issueIds.map((ticketId) => ({ tracker: 'linear', ticketId, reason: 'recheck' }));
      const pass = async (): Promise<PassResult> => {
        const checksBefore = await counterTotal(cascade.metrics.checks);
        const before = await host.counts();
        const started = performance.now();
        for (let i = 0; i < jobs.length; i += 500) await scheduleChecks(cascade.queues.checks.linear, jobs.slice(i, i + 500), 0);
        let checks = 0;
        const complete = await waitUntil(async () => {
          checks = (await counterTotal(cascade.metrics.checks)) - checksBefore;
          return checks >= jobs.length;
        }, timeoutMs, 5);
        const seconds = (performance.now() - started) / 1000;
        const after = await host.counts();
        return { checks, seconds, perSecond: checks / seconds, reads: after.reads - before.reads, writes: after.writes - before.writes, complete };
      };
      const warm = await pass();
      const measured = await pass();
      const used = `checkConcurrency ${checkConcurrency}, checksPerSecond ${checksPerSecond}; ${issues.toLocaleString('en')} issues, tracker answers after ${delayMs} ms`;
      const figures: Figure[] = [
        {
          bench: 'worker',
          name: 'checks/s, warm caches',
          value: Math.round(measured.perSecond),
          unit: 'checks/s',
          target: { op: '>=', value: 300 },
          note: `${used}; ${measured.checks}/${jobs.length} checks in ${formatNumber(measured.seconds)} s${measured.complete ? '' : ' (timed out)'}; first pass ${Math.round(warm.perSecond)}/s with ${warm.writes} writes`,
        },
        { bench: 'worker', name: 'tracker reads per check', value: Number((measured.reads / Math.max(1, measured.checks)).toFixed(3)), unit: 'reads', target: { op: '<=', value: 1 }, note: `${measured.reads} reads (first pass ${warm.reads})` },
        { bench: 'worker', name: 'writes, unchanged tickets', value: measured.writes, unit: 'writes', target: { op: '==', value: 0 } },
      ];
      return { warm, measured, figures };
    } finally {
      await workers.close();
      await cascade.close();
    }
  } finally {
    await host.close();
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runWorkerBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
