// Rollout: a first sweep over a backlog of 10,000 orphan and stale tickets in
// the Linear sandbox, through the real sweep, the one de-duplicated check per
// ticket and the write budget. Time is Cascade's injected clock: "an hour
// later" moves the clock and releases the timers then due, so the figures do
// not need real hours. With writes_per_hour 50: tickets given their first
// marks in the first hour, in the second, and tickets marked twice. With
// enforce_from after every ticket's creation: tickets written at all. Then the
// budget removed: how long until every held ticket is written (the contract: a
// minute), through the config change's own path (a saved version, its sweep).
import { startRedisServer, type RedisServer } from '../cli/redis-server.js';
import { startCascade, type RunningCascade } from '../cli/start-cascade.js';
import { startSweeps } from '../src/queue/start-sweeps.js';
import { sweepProgress } from '../src/store/sweep-progress.js';
import { startLinearSandbox, type LinearSandbox } from '../sandbox/linear/index.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { benchEnv, benchLogger, counterTotal, exampleConfig, waitUntil } from './cascade-kit.js';
import { seedLinearBacklog } from './linear-workspace.js';
import type { Figure } from './figures.js';

export interface RolloutBenchOptions {
  tickets?: number;
  writesPerHour?: number;
  timeoutMs?: number;
}

export interface RolloutBenchResult {
  firstHour: number;
  secondHour: number;
  markedTwice: number;
  freshReads: number;
  sweepChecks: number;
  enforceFromWritten: number;
  beforeEnforceFrom: number;
  /** Seconds from the budget's removal until every held ticket had its comment. */
  releasedAllSeconds: number;
  figures: Figure[];
}

const HOUR_MS = 3_600_000;

interface Run {
  cascade: RunningCascade;
  sandbox: LinearSandbox;
  /** Tickets Cascade commented on, and how many times. */
  comments: Map<string, number>;
  advance(ms: number): void;
  now(): number;
}

async function start(redis: RedisServer, tickets: number, config: CascadeConfig, prefix: string): Promise<Run> {
  let offset = 0;
  const comments = new Map<string, number>();
  const sandbox = await startLinearSandbox({ requestsLimit: 10_000_000, seed: (store) => void seedLinearBacklog(store, tickets, 1) });
  sandbox.store.onChange((change) => {
    if (change.type !== 'Comment' || change.action !== 'create' || change.actorId !== sandbox.store.bot.id) return;
    const issueId = (change.record as { issueId: string }).issueId;
    comments.set(issueId, (comments.get(issueId) ?? 0) + 1);
  });
  const cascade = await startCascade({
    role: 'work',
    env: benchEnv({ CASCADE_CHECKS_PER_SECOND: '100000', CASCADE_CHECK_CONCURRENCY: '32' }),
    redisUrl: redis.url,
    logger: benchLogger(),
    trackers: { linear: new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl }) },
    seedConfig: config,
    prefix,
    now: () => new Date(Date.now() + offset),
  });
  return { cascade, sandbox, comments, advance: (ms) => (offset += ms), now: () => Date.now() + offset };
}

/** The checks queue has nothing to run but timers for later (budget, grace period). */
async function settled(run: Run, timeoutMs: number): Promise<void> {
  const queue = run.cascade.queues.checks.linear;
  const ok = await waitUntil(async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    if (Object.values(counts).some((n) => n > 0)) return false;
    const delayed = await queue.getJobs(['delayed'], 0, 2000);
    return delayed.every((job) => job.data.timer === true);
  }, timeoutMs, 100);
  if (!ok) throw new Error('the checks did not settle in time');
}

async function sweep(run: Run, timeoutMs: number): Promise<void> {
  const { cascade } = run;
  const { sweepIds } = await startSweeps(cascade.context, cascade.redis, cascade.keys, { reason: 'admin' });
  const done = await waitUntil(async () => (await sweepProgress(cascade.redis, cascade.keys)).filter((p) => sweepIds.includes(p.sweepId) && p.done).length === sweepIds.length, timeoutMs, 100);
  if (!done) throw new Error('the sweep did not finish in time');
  await settled(run, timeoutMs);
}

/** Releases the budget timers due by Cascade's clock, as BullMQ would an hour later. */
async function releaseDueTimers(run: Run, timeoutMs: number): Promise<void> {
  const queue = run.cascade.queues.checks.linear;
  for (let start = 0; ; start += 1000) {
    const jobs = await queue.getJobs(['delayed'], start, start + 999);
    if (jobs.length === 0) break;
    // A timer's due time by the clock it was set with: the clock then ran `offset` ahead of real time.
    for (const job of jobs) if (job.id?.startsWith('held-') && Number(job.id.split('-').pop()) * 60_000 <= run.now()) await job.promote();
  }
  await settled(run, timeoutMs);
}

/** Saves the config without its budget and starts the config change's sweep, as PUT /admin/config does; answers the seconds until no ticket waits and the checks have settled. */
async function removeBudget(run: Run, budgeted: CascadeConfig, timeoutMs: number): Promise<number> {
  const { cascade } = run;
  const config: CascadeConfig = { ...budgeted, rules: { ...budgeted.rules } };
  delete config.rules!.budget;
  const started = performance.now();
  const current = await cascade.configStore.currentVersion();
  await cascade.configStore.put(config, { author: 'bench', summary: ['budget removed'], expected: current });
  await startSweeps(cascade.context, cascade.redis, cascade.keys, { reason: 'config' });
  const waiting = (): Promise<number> => cascade.redis.zcard(cascade.keys.budgetHeld('linear'));
  if (!(await waitUntil(async () => (await waiting()) === 0, timeoutMs, 50))) throw new Error(`the held tickets were not written in time (${await waiting()} still wait)`);
  await settled(run, timeoutMs);
  return Math.round((performance.now() - started) / 100) / 10;
}

export async function runRolloutBench(options: RolloutBenchOptions = {}): Promise<RolloutBenchResult> {
  const tickets = options.tickets ?? 10_000;
  const writesPerHour = options.writesPerHour ?? 50;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const redis = await startRedisServer({ dataDir: undefined });
  try {
    const budgeted = exampleConfig();
    budgeted.rules = { ...budgeted.rules, budget: { writes_per_hour: writesPerHour } };
    const run = await start(redis, tickets, budgeted, '{bench-rollout}');
    let firstHour: number, secondHour: number, markedTwice: number, freshReads: number, releasedAllSeconds: number, heldBefore: number;
    try {
      await sweep(run, timeoutMs);
      freshReads = await counterTotal(run.cascade.metrics.trackerReads);
      firstHour = run.comments.size;
      run.advance(HOUR_MS + 60_000);
      await releaseDueTimers(run, timeoutMs);
      secondHour = run.comments.size - firstHour;
      heldBefore = await run.cascade.redis.zcard(run.cascade.keys.budgetHeld('linear'));
      releasedAllSeconds = await removeBudget(run, budgeted, timeoutMs);
      markedTwice = [...run.comments.values()].filter((n) => n > 1).length;
    } finally {
      await run.cascade.close();
      await run.sandbox.close();
    }

    const later = exampleConfig();
    later.rules = { ...later.rules, enforce_from: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) };
    const old = await start(redis, tickets, later, '{bench-rollout-enforce}');
    let enforceFromWritten: number, beforeEnforceFrom = 0;
    try {
      await sweep(old, timeoutMs);
      enforceFromWritten = old.comments.size;
      for await (const r of old.cascade.verdicts.all()) if (r.held === 'before-enforce-from') beforeEnforceFrom++;
    } finally {
      await old.cascade.close();
      await old.sandbox.close();
    }

    const sweepChecks = freshReads;
    const figures: Figure[] = [
      { bench: 'rollout', name: `first sweep, ${tickets.toLocaleString('en')} orphans: marked in hour 1`, value: firstHour, unit: 'tickets', target: { op: '==', value: writesPerHour }, note: `writes_per_hour ${writesPerHour}; ${freshReads.toLocaleString('en')} fresh reads (one per ticket needing a write)` },
      { bench: 'rollout', name: 'then marked in hour 2', value: secondHour, unit: 'tickets', target: { op: '==', value: writesPerHour }, note: 'clock moved an hour, due timers released' },
      { bench: 'rollout', name: 'then the budget removed: every held ticket written after', value: releasedAllSeconds, unit: 's', target: { op: '<', value: 60 }, note: `${heldBefore.toLocaleString('en')} held tickets, each checked fresh; ${run.comments.size.toLocaleString('en')} commented in all` },
      { bench: 'rollout', name: 'tickets commented twice', value: markedTwice, unit: 'tickets', target: { op: '==', value: 0 } },
      { bench: 'rollout', name: 'with enforce_from after every ticket: written', value: enforceFromWritten, unit: 'tickets', target: { op: '==', value: 0 }, note: `${beforeEnforceFrom.toLocaleString('en')} counted before enforce_from` },
    ];
    return { firstHour, secondHour, markedTwice, freshReads, sweepChecks, enforceFromWritten, beforeEnforceFrom, releasedAllSeconds, figures };
  } finally {
    await redis.stop();
  }
}
