// Sweep: tracker requests for a sweep of 10,000 open tickets, in Linear and in
// Jira, through the real sweep path (startSweeps, then the sweeps worker that
// startCascade runs, a page per job). Each sandbox sits behind a counting
// proxy (no delay). The first sweep runs with cold adapter caches and writes
// the marks the orphan and stale tickets need; the second, over unchanged
// tickets, is what a nightly sweep costs in steady state.
import { pathToFileURL } from 'node:url';
import { startRedisServer } from '../cli/redis-server.js';
import { startCascade, type RunningCascade } from '../cli/start-cascade.js';
import { startSweeps } from '../src/queue/start-sweeps.js';
import { sweepProgress } from '../src/store/sweep-progress.js';
import { startLinearSandbox } from '../sandbox/linear/index.js';
import { startJiraSandbox, JiraStore, DEMO_JIRA_BOT } from '../sandbox/jira/index.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import { JiraTracker } from '../src/trackers/jira/index.js';
import type { TrackerId } from '../src/strategy/types.js';
import { benchEnv, benchLogger, exampleConfig, waitUntil } from './cascade-kit.js';
import { startDelayProxy, type DelayProxy, type ProxyCounts } from './delay-proxy.js';
import { seedLinearBacklog } from './linear-workspace.js';
import { seedJiraBacklog } from './jira-site.js';
import { formatNumber, type Figure } from './figures.js';

export interface SweepBenchOptions {
  tickets?: number;
  /** Share of tickets that are orphan or stale. Default 0.02. */
  needsMarks?: number;
  timeoutMs?: number;
}

export interface SweepRun {
  tracker: TrackerId;
  tickets: number;
  pages: number;
  reads: number;
  writes: number;
  seconds: number;
  done: boolean;
}

export interface SweepBenchResult {
  cold: SweepRun[];
  steady: SweepRun[];
  figures: Figure[];
}

async function sweepOnce(cascade: RunningCascade, proxies: Record<TrackerId, DelayProxy>, timeoutMs: number): Promise<SweepRun[]> {
  const before: Record<string, ProxyCounts> = { linear: proxies.linear.counts(), jira: proxies.jira.counts() };
  const started = performance.now();
  const finished: Record<string, number> = {};
  const { sweepIds } = await startSweeps(cascade.context, cascade.redis, cascade.keys, { reason: 'admin' });
  await waitUntil(async () => {
    const progress = (await sweepProgress(cascade.redis, cascade.keys)).filter((p) => sweepIds.includes(p.sweepId));
    for (const p of progress) if (p.done) finished[p.tracker] ??= performance.now();
    return progress.length === sweepIds.length && progress.every((p) => p.done);
  }, timeoutMs, 20);
  // A sweep writes nothing itself: the tickets that need a write get their one check (a fresh read, then the
  // write). The sweep's cost is counted once those checks are done too.
  await waitUntil(async () => {
    for (const queue of Object.values(cascade.queues.checks)) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
      if ((await queue.getJobs(['delayed'], 0, 500)).some((job) => job.data.timer !== true)) return false;
    }
    return true;
  }, timeoutMs, 20);
  const progress = (await sweepProgress(cascade.redis, cascade.keys)).filter((p) => sweepIds.includes(p.sweepId));
  return progress.map((p) => {
    const tracker = p.tracker as TrackerId;
    const after = proxies[tracker].counts();
    return {
      tracker,
      tickets: p.tickets,
      pages: p.pages,
      reads: after.reads - before[tracker]!.reads,
      writes: after.writes - before[tracker]!.writes,
      seconds: ((finished[tracker] ?? performance.now()) - started) / 1000,
      done: p.done,
    };
  });
}

export async function runSweepBench(options: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  const tickets = options.tickets ?? 10_000;
  const needsMarks = options.needsMarks ?? 0.02;
  const timeoutMs = options.timeoutMs ?? 45_000;
  const redis = await startRedisServer({ dataDir: undefined });
  const jiraStore = new JiraStore();
  seedJiraBacklog(jiraStore, tickets, needsMarks);
  // The demo workspaces the backlogs sit on hold a few open tickets of their own on top.
  const linear = await startLinearSandbox({ requestsLimit: 1_000_000, seed: (store) => void seedLinearBacklog(store, tickets, needsMarks) });
  const jira = await startJiraSandbox({ store: jiraStore });
  const proxies = { linear: await startDelayProxy(linear.apiUrl, 0), jira: await startDelayProxy(jira.baseUrl, 0) };
  try {
    const cascade = await startCascade({
      role: 'work',
      env: benchEnv({}),
      redisUrl: redis.url,
      logger: benchLogger(),
      trackers: {
        linear: new LinearTracker({ apiKey: linear.apiKey, apiUrl: `${proxies.linear.origin}/graphql` }),
        jira: new JiraTracker({ host: proxies.jira.origin, auth: { email: DEMO_JIRA_BOT.email, apiToken: DEMO_JIRA_BOT.apiToken } }),
      },
      seedConfig: exampleConfig(),
      prefix: '{bench-sweep}',
    });
    try {
      const cold = await sweepOnce(cascade, proxies, timeoutMs);
      const steady = await sweepOnce(cascade, proxies, timeoutMs);
      const figures: Figure[] = [];
      for (const tracker of ['linear', 'jira'] as const) {
        const c = cold.find((r) => r.tracker === tracker);
        const s = steady.find((r) => r.tracker === tracker);
        if (!c || !s) throw new Error(`no ${tracker} sweep ran`);
        figures.push({
          bench: 'sweep',
          name: `${tracker} sweep of ${tickets.toLocaleString('en')}: read requests`,
          value: c.reads,
          unit: 'requests',
          target: { op: '<=', value: 120 },
          note: `cold caches; ${c.tickets.toLocaleString('en')} tickets in ${c.pages} pages, ${formatNumber(c.seconds)} s, plus ${c.writes} writes for ${Math.round(tickets * needsMarks)} orphan/stale tickets; reads include one fresh read per ticket that needs a write${c.done ? '' : ' (timed out)'}`,
        });
        figures.push({
          bench: 'sweep',
          name: `${tracker} sweep again, unchanged: all requests`,
          value: s.reads + s.writes,
          unit: 'requests',
          target: { op: '<=', value: 120 },
          note: `${s.reads} reads, ${s.writes} writes, ${formatNumber(s.seconds)} s${s.done ? '' : ' (timed out)'}`,
        });
      }
      return { cold, steady, figures };
    } finally {
      await cascade.close();
    }
  } finally {
    await Promise.allSettled([proxies.linear.close(), proxies.jira.close(), linear.close(), jira.close()]);
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runSweepBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} ${f.note ?? ''}`);
  process.exit(0);
}
