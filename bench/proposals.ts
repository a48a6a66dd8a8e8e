// The strategy review with 10,000 proposals, against PRODUCT.md's target
// ("Bounded proposals": /admin/review answers in < 200 ms and the webhook p99
// stays < 100 ms). A private redis-server; the receiver role (startCascade
// 'serve') listening here; the workers' side in a process of its own at the
// workers' priority of `cascade all` (bench/proposals-worker.ts: the proposals
// seeded through the store, the real digest-queue worker grouping them). Signed Linear webhooks at 100/s, first
// alone, then while admins reload GET /admin/review and a proposal is made
// every half second (so the grouping job runs again and again): the webhook
// p50/p99 of both phases side by side, the review's latency, and the groupings.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade } from '../cli/start-cascade.js';
import { benchEnv, benchLogger, exampleConfig, waitUntil } from './cascade-kit.js';
import { issueUpdateTemplate } from './ingest.js';
import type { ClientResult, ClientSpec } from './digest-views-client.js';
import { PROPOSALS_WORKER_ENV, type ProposalsWorkerSpec } from './proposals-worker.js';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { giveWay } from '../cli/worker-process.js';
import { formatNumber, type Figure } from './figures.js';
import { inThread } from './in-thread.js';

export interface ProposalsBenchOptions {
  proposals?: number;
  webhooksPerSecond?: number;
  /** Admins reloading /admin/review, each pausing this long between answers (under the admin rate limit, 600 a minute). */
  admins?: number;
  adminPauseMs?: number;
  /** A proposal made this often during the measured phase. Default 500 ms. */
  churnMs?: number;
  /** Length of each phase. Default 20 s. */
  phaseMs?: number;
}

const PREFIX = '{bench-proposals}';


interface WorkersThread {
  groupedMs: number[];
  churn(everyMs: number): void;
  stop(): Promise<void>;
}

function startWorkersProcess(spec: ProposalsWorkerSpec): Promise<WorkersThread> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./proposals-worker.js', import.meta.url)), [], { env: { ...process.env, [PROPOSALS_WORKER_ENV]: JSON.stringify(spec) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    if (child.pid !== undefined && !process.env.NO_GIVE_WAY) giveWay(child.pid, benchLogger());
    const groupedMs: number[] = [];
    child.on('message', (message: { ready?: boolean; groupedMs?: number; error?: string }) => {
      if (message.groupedMs !== undefined) groupedMs.push(message.groupedMs);
      if (message.error) reject(new Error(`the workers' process failed: ${message.error}`));
      if (message.ready)
        resolve({
          groupedMs,
          churn: (everyMs) => child.send({ churnMs: everyMs }),
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = once(child, 'exit');
            child.send({ stop: true });
            await exited;
          },
        });
    });
    child.once('exit', (code) => reject(new Error(`the workers' process exited (${code}) before it was ready`)));
  });
}

export async function runProposalsBench(options: ProposalsBenchOptions = {}): Promise<{ figures: Figure[] }> {
  const proposals = options.proposals ?? 10_000;
  const rate = options.webhooksPerSecond ?? 100;
  const admins = options.admins ?? 2;
  const adminPauseMs = options.adminPauseMs ?? 250;
  const churnMs = options.churnMs ?? 500;
  const phaseMs = options.phaseMs ?? 20_000;
  const secret = randomUUID();
  const adminToken = `bench-${randomUUID()}`;
  const template = issueUpdateTemplate();

  const redis = await startRedisServer({ dataDir: undefined });
  try {
    const cascade = await startCascade({
      role: 'serve',
      env: benchEnv({ LINEAR_WEBHOOK_SECRET: secret, ADMIN_TOKEN: `bench:${adminToken}` }),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: {},
      seedConfig: exampleConfig(),
      prefix: PREFIX,
    });
    const workers = await startWorkersProcess({ redisUrl: redis.url, prefix: PREFIX, proposals });
    try {
      const app = cascade.app!;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const review = async (): Promise<{ total: number; groups: number; top: number; bytes: number }> => {
        const res = await fetch(`http://127.0.0.1:${port}/admin/review`, { headers: { authorization: `Bearer ${adminToken}` } });
        const text = await res.text();
        const body = JSON.parse(text) as { proposalsTotal: number; proposalGroups: number; proposals: unknown[] };
        return { total: body.proposalsTotal, groups: body.proposalGroups, top: body.proposals.length, bytes: text.length };
      };
      if (!(await waitUntil(async () => workers.groupedMs.length > 0 && (await review()).total === proposals, 60_000, 200))) throw new Error(`the first grouping of ${proposals} proposals was not stored within 60 s`);
      const firstGroupingMs = workers.groupedMs[0] ?? Number.NaN;
      const shape = await review();

      const hooks = (): Promise<ClientResult> => inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'webhooks', port, durationMs: phaseMs, ratePerSecond: rate, template, secret } satisfies ClientSpec });
      const reviews = (): Promise<ClientResult> => inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'viewers', port, durationMs: phaseMs, viewers: admins, token: adminToken, path: '/admin/review', pauseMs: adminPauseMs } satisfies ClientSpec });
      const loopDelay = async <T>(phase: () => Promise<T>): Promise<[T, { p99Ms: number; maxMs: number }]> => {
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        histogram.enable();
        try {
          return [await phase(), { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 }];
        } finally {
          histogram.disable();
        }
      };
      await inThread<ClientResult>('./digest-views-client.js', { clientSpec: { mode: 'webhooks', port, durationMs: 2000, ratePerSecond: rate, template, secret } satisfies ClientSpec });
      const [alone, loopAlone] = await loopDelay(hooks);
      const groupingsBefore = workers.groupedMs.length;
      workers.churn(churnMs);
      const [[withReviews, reviewed], loopBusy] = await loopDelay(() => Promise.all([hooks(), reviews()]));
      const groupings = workers.groupedMs.slice(groupingsBefore);
      const sortedGroupings = [...groupings].sort((a, b) => a - b);

      const statuses = (r: ClientResult): string => JSON.stringify(r.statuses) + (r.errors ? `, ${r.errors} connection errors` : '');
      const loopNote = (loop: { p99Ms: number; maxMs: number }): string => `receiver's event-loop delay p99 ${formatNumber(loop.p99Ms)} ms, max ${formatNumber(loop.maxMs)} ms`;
      const how = `${rate} signed webhooks/s for ${phaseMs / 1000} s per phase, receiver role, ${proposals.toLocaleString('en')} proposals`;
      const figures: Figure[] = [
        { bench: 'propose', name: `first grouping of ${proposals.toLocaleString('en')} proposals (worker)`, value: Math.round(firstGroupingMs), unit: 'ms', note: `${shape.groups.toLocaleString('en')} groups; /admin/review lists the ${shape.top} largest (${Math.round(shape.bytes / 1024)} KB)` },
        { bench: 'propose', name: 'webhook p50, alone', value: Number(alone.p50Ms.toFixed(2)), unit: 'ms', note: `${how}; ${statuses(alone)}` },
        { bench: 'propose', name: 'webhook p99, alone', value: Number(alone.p99Ms.toFixed(2)), unit: 'ms', note: `max ${formatNumber(alone.maxMs)} ms; ${loopNote(loopAlone)}` },
        { bench: 'propose', name: 'webhook p50, reviews and groupings running', value: Number(withReviews.p50Ms.toFixed(2)), unit: 'ms', note: statuses(withReviews) },
        { bench: 'propose', name: 'webhook p99, reviews and groupings running', value: Number(withReviews.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 100 }, note: `max ${formatNumber(withReviews.maxMs)} ms; ${loopNote(loopBusy)}` },
        { bench: 'propose', name: '/admin/review p50', value: Number(reviewed.p50Ms.toFixed(2)), unit: 'ms', note: `${reviewed.requests} requests by ${admins} admins; answers ${statuses(reviewed)}` },
        { bench: 'propose', name: '/admin/review p99', value: Number(reviewed.p99Ms.toFixed(2)), unit: 'ms', target: { op: '<', value: 200 }, note: `max ${formatNumber(reviewed.maxMs)} ms` },
        { bench: 'propose', name: 'groupings while measured', value: groupings.length, unit: '', note: `a proposal every ${churnMs} ms; each ${formatNumber(sortedGroupings[0] ?? Number.NaN)}-${formatNumber(sortedGroupings.at(-1) ?? Number.NaN)} ms in the workers' process` },
      ];
      return { figures };
    } finally {
      await workers.stop();
      await cascade.close();
    }
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const numberFrom = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
  const result = await runProposalsBench({ churnMs: numberFrom('BENCH_CHURN_MS'), admins: numberFrom('BENCH_ADMINS') });
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
