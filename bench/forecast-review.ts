// The review with forecasts, end to end in Cascade's own parts, against the issue's
// target: 50 objectives with end dates over 100,000 tickets and 12 weeks of completion
// records (bench/forecast.ts's workspace, stored as the stores keep it in a private
// redis-server) computed by the real forecast job on the digest queue in a thread of its
// own (the workers' process in production) in under a second, stored in Redis, and read
// by GET /admin/review; meanwhile signed Linear webhooks at 100/s reach the receiver,
// whose p99 is compared with a phase without forecasts.
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { benchEnv, benchLogger } from './cascade-kit.js';
import { issueUpdateTemplate } from './ingest.js';
import type { ClientResult, ClientSpec } from './digest-views-client.js';
import type { ForecastSeedSpec, ForecastWorkerSpec } from './forecast-review-worker.js';
import { forecastWorkspace, NOW } from './forecast.js';
import { formatNumber, type Figure } from './figures.js';
import type { CascadeConfig, StrategyNode } from '../src/strategy/tree-schema.js';
import type { ReviewWithForecasts } from '../src/digest/review-forecasts.js';
import { inThread } from './in-thread.js';

const PREFIX = '{bench-forecast}';

/** The workspace's tree: 10 themes of 5 dated objectives each, and 40 undated goals, under one root. */
function workspaceConfig(): CascadeConfig {
  const ws = forecastWorkspace('mixed');
  const themes: StrategyNode[] = Array.from({ length: 10 }, (_, t) => ({
    id: `theme-${t}`, title: `Theme ${t}`,
    children: ws.objectives.slice(t * 5, t * 5 + 5).map((o) => ({ id: o.id, title: `Objective ${o.id}`, period: { start: '2026-07-01', end: o.endDate } })),
  }));
  const goals: StrategyNode[] = Array.from({ length: 40 }, (_, g) => ({ id: `goal-${g}`, title: `Goal ${g}` }));
  return { objectives: [{ id: 'root', title: 'Company', children: [...themes, ...goals] }] } as CascadeConfig;
}


function startForecastWorker(spec: ForecastWorkerSpec, runs: Array<{ ms: number; cpuMs: number; readMs: number }>): Promise<{ stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./forecast-review-worker.js', import.meta.url), { workerData: { forecastWorker: spec } });
    let stopped: (() => void) | undefined;
    worker.on('message', (message: { ready?: boolean; computedMs?: number; cpuMs?: number; readMs?: number; stopped?: boolean }) => {
      if (message.computedMs !== undefined) runs.push({ ms: message.computedMs, cpuMs: message.cpuMs ?? 0, readMs: message.readMs ?? Number.NaN });
      if (message.stopped) stopped?.();
      if (message.ready) resolve({ stop: async () => { await new Promise<void>((done) => { stopped = done; worker.postMessage('stop'); }); await worker.terminate(); } });
    });
    worker.once('error', reject);
  });
}

const range = (xs: number[]): string => (xs.length ? `${formatNumber(Math.min(...xs))}–${formatNumber(Math.max(...xs))}` : 'none');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function runForecastReviewBench(options: { runs?: number; phaseMs?: number; webhooksPerSecond?: number } = {}): Promise<Figure[]> {
  const runsWanted = options.runs ?? 7;
  const phaseMs = options.phaseMs ?? 10_000;
  const rate = options.webhooksPerSecond ?? 100;
  const secret = randomUUID();
  const adminToken = `bench-${randomUUID()}`;
  const template = issueUpdateTemplate();
  const redis = await startRedisServer({ dataDir: undefined });
  try {
    await inThread<boolean>('./forecast-review-worker.js', { seeding: { redisUrl: redis.url, prefix: PREFIX } satisfies ForecastSeedSpec });
    const cascade = await startCascade({
      role: 'serve', env: benchEnv({ LINEAR_WEBHOOK_SECRET: secret, ADMIN_TOKEN: `bench:${adminToken}`, DIGEST_TZ: 'Europe/Paris' }),
      redisUrl: redis.url, logger: benchLogger(), trackers: {}, seedConfig: workspaceConfig(), prefix: PREFIX, now: () => NOW,
    });
    const runs: Array<{ ms: number; cpuMs: number; readMs: number }> = [];
    const worker = await startForecastWorker({ redisUrl: redis.url, prefix: PREFIX }, runs);
    try {
      const app = cascade.app!;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const hooks = (ms: number): Promise<ClientResult> => inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'webhooks', port, durationMs: ms, ratePerSecond: rate, template, secret } satisfies ClientSpec });
      const loopDelay = async <T>(phase: () => Promise<T>): Promise<[T, number]> => {
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        histogram.enable();
        try {
          return [await phase(), histogram.percentile(99) / 1e6];
        } finally {
          histogram.disable();
        }
      };
      await hooks(2000); // warm-up
      const [alone, loopAlone] = await loopDelay(() => hooks(phaseMs));
      // The forecast job, one run after another (as the debounce lets it run), while the webhooks flow.
      const forecasting = async (): Promise<void> => {
        const until = performance.now() + phaseMs;
        let n = 0;
        while (performance.now() < until || n < runsWanted) {
          const job = await cascade.queues.digest.add('forecast', { kind: 'forecast' });
          while (!(await job.isCompleted()) && !(await job.isFailed())) await new Promise((r) => setTimeout(r, 20));
          n += 1;
        }
      };
      const [[during], loopDuring] = await loopDelay(() => Promise.all([hooks(phaseMs), forecasting()]));
      // The route reads the stored report: its answer time, with the forecasts in it.
      const reads: number[] = [];
      let review: ReviewWithForecasts | null = null;
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/admin/review`, { headers: { authorization: `Bearer ${adminToken}` } });
        review = (await res.json()) as ReviewWithForecasts;
        reads.push(performance.now() - t0);
      }
      const tally = new Map<string, number>();
      for (const f of review?.forecasts ?? []) tally.set(f.forecast.status, (tally.get(f.forecast.status) ?? 0) + 1);
      const statuses = [...tally].map(([s, n]) => `${n} ${s}`).join(', ');
      const how = `${rate} signed webhooks/s for ${phaseMs / 1000} s per phase, receiver role`;
      return [
        { bench: 'forecast', name: `forecast job, 50 objectives, 100k tickets (median of ${runs.length})`, value: median(runs.map((r) => r.ms)), unit: 'ms', target: { op: '<', value: 1000 }, note: `range ${range(runs.map((r) => r.ms))} ms, worker CPU ${range(runs.map((r) => r.cpuMs))} ms, reading the stores ${range(runs.map((r) => r.readMs))} ms; then 50 forecasts, capacity, allocation, stored in Redis; ${review?.forecasts.length ?? 0} forecasts in the review (${statuses})` },
        { bench: 'forecast', name: 'GET /admin/review with forecasts (median of 20)', value: median(reads), unit: 'ms', note: `range ${range(reads)} ms (reads the stored report; the review itself walks the 100k verdict records)` },
        { bench: 'forecast', name: 'webhook p99, no forecasts', value: Number(alone.p99Ms.toFixed(2)), unit: 'ms', note: `${how}; p50 ${formatNumber(alone.p50Ms)} ms; receiver loop delay p99 ${formatNumber(loopAlone)} ms; ${JSON.stringify(alone.statuses)}` },
        { bench: 'forecast', name: 'webhook p99, forecasts computing', value: Number(during.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 100 }, note: `p50 ${formatNumber(during.p50Ms)} ms, max ${formatNumber(during.maxMs)} ms; receiver loop delay p99 ${formatNumber(loopDuring)} ms; ${JSON.stringify(during.statuses)}` },
      ];
    } finally {
      await worker.stop();
      await cascade.close();
    }
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await runForecastReviewBench()) console.log(`${f.name}: ${formatNumber(f.value)} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
