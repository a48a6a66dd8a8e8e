// Digest pages under viewers, against PRODUCT.md's target (20 concurrent views
// over 100,000 tickets while webhooks flow keep the webhook p99 under 100 ms).
// 100,000 verdict records in a private redis-server; the receiver role
// (startCascade 'serve') listening here; the digest worker in a thread of its
// own (the workers' process in production). Signed Linear webhooks at 100/s,
// first alone, then with 20 viewers reloading /digest.json, in the same run:
// the webhook p50/p99 of both phases side by side, and the views' latency.
// Nothing is stored before the viewers arrive, so their phase includes the
// first computation of the digest (views answer "being computed" meanwhile).
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { benchEnv, benchLogger, exampleConfig } from './cascade-kit.js';
import { issueUpdateTemplate } from './ingest.js';
import type { ClientResult, ClientSpec } from './digest-views-client.js';
import type { DigestWorkerSpec, SeedSpec } from './digest-views-worker.js';
import { formatNumber, type Figure } from './figures.js';
import { inThread } from './in-thread.js';

export interface DigestViewsOptions {
  tickets?: number;
  viewers?: number;
  webhooksPerSecond?: number;
  /** Length of each phase. Default 15 s. */
  phaseMs?: number;
}

export interface DigestViewsResult {
  alone: ClientResult;
  withViewers: ClientResult;
  views: ClientResult;
  withViewersWarm: ClientResult;
  viewsWarm: ClientResult;
  computeMs: number[];
  figures: Figure[];
}

const PREFIX = '{bench-views}';
const TIME_ZONE = 'Europe/Paris';


/** The digest worker's thread; resolves once its BullMQ worker is ready. */
function startDigestWorker(spec: DigestWorkerSpec, computeMs: number[]): Promise<{ stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./digest-views-worker.js', import.meta.url), { workerData: { digestWorker: spec } });
    let stopped: (() => void) | undefined;
    worker.on('message', (message: { ready?: boolean; computedMs?: number; stopped?: boolean }) => {
      if (message.computedMs !== undefined) computeMs.push(message.computedMs);
      if (message.stopped) stopped?.();
      if (message.ready)
        resolve({
          stop: async () => {
            await new Promise<void>((done) => {
              stopped = done;
              worker.postMessage('stop');
            });
            await worker.terminate();
          },
        });
    });
    worker.once('error', reject);
  });
}

/**
 * Writes the fixture's records straight into the verdict hash, from a thread of
 * its own: the receiver's heap then holds what a receiver holds, not the
 * garbage of 100,000 records built here (a later full collection of it paused
 * the receiver for half a second in one run out of five).
 */
function seedVerdicts(redisUrl: string, tickets: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const seeding: SeedSpec = { redisUrl, prefix: PREFIX, tickets };
    const worker = new Worker(new URL('./digest-views-worker.js', import.meta.url), { workerData: { seeding } });
    worker.once('message', (message: { seeded?: boolean; error?: string }) => {
      if (message.seeded) resolve();
      else reject(new Error(`seeding failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export async function runDigestViewsBench(options: DigestViewsOptions = {}): Promise<DigestViewsResult> {
  const tickets = options.tickets ?? 100_000;
  const viewers = options.viewers ?? 20;
  const rate = options.webhooksPerSecond ?? 100;
  const phaseMs = options.phaseMs ?? 15_000;
  const secret = randomUUID();
  const digestToken = `bench-${randomUUID()}`;
  const template = issueUpdateTemplate();

  const redis = await startRedisServer({ dataDir: undefined });
  try {
    await seedVerdicts(redis.url, tickets);
    const cascade = await startCascade({
      role: 'serve',
      env: benchEnv({ LINEAR_WEBHOOK_SECRET: secret, DIGEST_TOKEN: digestToken }),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: {},
      seedConfig: exampleConfig(),
      prefix: PREFIX,
    });
    const computeMs: number[] = [];
    const digestWorker = await startDigestWorker({ redisUrl: redis.url, prefix: PREFIX, timeZone: TIME_ZONE }, computeMs);
    try {
      const app = cascade.app!;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const hooks = (): Promise<ClientResult> => inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'webhooks', port, durationMs: phaseMs, ratePerSecond: rate, template, secret } satisfies ClientSpec });
      // A short warm-up (JIT, connections), then the two phases.
      await inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'webhooks', port, durationMs: 2000, ratePerSecond: rate, template, secret } satisfies ClientSpec });
      const watch = (): Promise<ClientResult> => inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'viewers', port, durationMs: phaseMs, viewers, token: digestToken } satisfies ClientSpec });
      // The receiver's own event loop, per phase: a stall there shows here; one elsewhere (Redis, the OS) does not.
      const loopDelay = async <T>(phase: () => Promise<T>): Promise<[T, { p99Ms: number; maxMs: number }]> => {
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        histogram.enable();
        try {
          return [await phase(), { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 }];
        } finally {
          histogram.disable();
        }
      };
      const [alone] = await loopDelay(hooks);
      // Cold: nothing stored yet, the worker computes while the viewers arrive.
      const [[withViewers, views], loopCold] = await loopDelay(() => Promise.all([hooks(), watch()]));
      const computesWhileCold = computeMs.length;
      // Warm: the digest stored, as for the rest of every minute.
      const [[withViewersWarm, viewsWarm], loopWarm] = await loopDelay(() => Promise.all([hooks(), watch()]));
      const loopNote = (loop: { p99Ms: number; maxMs: number }): string => `receiver's event-loop delay p99 ${formatNumber(loop.p99Ms)} ms, max ${formatNumber(loop.maxMs)} ms`;
      const receiverRssMb = Math.round(process.memoryUsage().rss / 1e6);

      const ok = views.ok!;
      const okWarm = viewsWarm.ok!;
      const how = `${rate} signed webhooks/s for ${phaseMs / 1000} s per phase, receiver role, ${tickets.toLocaleString('en')} verdict records`;
      const statuses = (r: ClientResult): string => JSON.stringify(r.statuses) + (r.errors ? `, ${r.errors} connection errors` : '');
      const figures: Figure[] = [
        { bench: 'views', name: 'webhook p50, no viewers', value: Number(alone.p50Ms.toFixed(2)), unit: 'ms', note: `${how}; ${statuses(alone)}` },
        { bench: 'views', name: 'webhook p99, no viewers', value: Number(alone.p99Ms.toFixed(2)), unit: 'ms', note: `max ${formatNumber(alone.maxMs)} ms` },
        { bench: 'views', name: `webhook p50, ${viewers} viewers, first compute`, value: Number(withViewers.p50Ms.toFixed(2)), unit: 'ms', note: statuses(withViewers) },
        { bench: 'views', name: `webhook p99, ${viewers} viewers, first compute`, value: Number(withViewers.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 100 }, note: `max ${formatNumber(withViewers.maxMs)} ms; ${loopNote(loopCold)}` },
        { bench: 'views', name: `webhook p50, ${viewers} viewers, digest stored`, value: Number(withViewersWarm.p50Ms.toFixed(2)), unit: 'ms', note: statuses(withViewersWarm) },
        { bench: 'views', name: `webhook p99, ${viewers} viewers, digest stored`, value: Number(withViewersWarm.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 100 }, note: `max ${formatNumber(withViewersWarm.maxMs)} ms; ${loopNote(loopWarm)}` },
        { bench: 'views', name: 'first digest after (views answer 202 till then)', value: ok.firstAfterMs ?? Number.NaN, unit: 'ms', note: `answers ${statuses(views)}; then view p50 ${formatNumber(ok.p50Ms)} ms, p99 ${formatNumber(ok.p99Ms)} ms` },
        { bench: 'views', name: 'view p50, digest stored', value: Number(okWarm.p50Ms.toFixed(2)), unit: 'ms', note: `${okWarm.count.toLocaleString('en')} digests served (${Math.round(okWarm.bytes / 1024)} KB each), ${Math.round(okWarm.count / (phaseMs / 1000))}/s; answers ${statuses(viewsWarm)}` },
        { bench: 'views', name: 'view p99, digest stored', value: Number(okWarm.p99Ms.toFixed(2)), unit: 'ms', note: `max ${formatNumber(viewsWarm.maxMs)} ms` },
        { bench: 'views', name: 'digest computations', value: computeMs.length, unit: '', target: { op: '<=', value: Math.ceil((2 * phaseMs) / 60_000) }, note: `${computesWhileCold} in the first viewers' phase, on the worker thread: ${computeMs.map((ms) => `${formatNumber(ms)} ms`).join(', ')}; process RSS ${receiverRssMb} MB` },
      ];
      return { alone, withViewers, views, withViewersWarm, viewsWarm, computeMs, figures };
    } finally {
      await digestWorker.stop();
      await cascade.close();
    }
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runDigestViewsBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
