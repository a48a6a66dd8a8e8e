// A sweep reads every open ticket in scope, a page per job. It writes nothing
// from its pages: it runs the one decision on each ticket only to tell which
// need a write (those get the ticket's one de-duplicated check, which reads it
// fresh) and refreshes the verdict records of the rest.
// Used nightly, after a config change and on POST /admin/recheck.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CheckJob, SweepJob, SweepProgress } from '../src/queue/job-types.js';
import { scheduleChecks, scheduleTimer } from '../src/queue/enqueue.js';
import type { Keys } from '../src/store/keys.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { trackerFor } from './check-ticket.js';
import { decideTicket, describePlan, planWrites, recordOf } from './ticket-decision.js';
import { loadCommandStates } from './command-state.js';
import { learnedModel } from './suggest-for-ticket.js';
import { notePageSeen } from './prune-unseen.js';
import { configAtLeast } from './config-at-least.js';
import { startBackfills } from './backfill.js';

/** Progress records live a week. */
const PROGRESS_TTL_S = 7 * 24 * 3600;

export async function sweepPage(ctx: WorkerContext, redis: Redis, keys: Keys, job: SweepJob): Promise<{ tickets: number; more: boolean; checks: number }> {
  const tracker = trackerFor(ctx, job.tracker);
  const config = await configAtLeast(ctx.config, job.configVersion);
  const rules = config.index.rules;
  const scope = job.teams.length > 0 ? job.teams : ((job.tracker === 'linear' ? rules.scope.linear : rules.scope.jira) ?? []);
  const page = await tracker.listOpenTickets({ teams: scope }, job.cursor);
  const ids = page.items.map((s) => s.ticket.id);
  const now = ctx.now();
  const [written, waiting, commands] = await Promise.all([ctx.written.getMany(job.tracker, ids), ctx.budget.waiting(job.tracker, ids, now), loadCommandStates(ctx, job.tracker, ids)]);
  const dryRun = ctx.dryRun ?? rules.dryRun;
  const reason = job.reason === 'nightly' ? 'sweep' : job.reason === 'config' ? 'config' : 'recheck';
  const checks: CheckJob[] = [];
  const model = await learnedModel(ctx, config);
  for (const state of page.items) {
    const { ticket } = state;
    const before = written.get(ticket.id) ?? null;
    const decision = decideTicket(state, { written: before, removal: null, commands: commands.get(ticket.id) }, config, now, model);
    const ackChanged = JSON.stringify(decision.acknowledged ?? null) !== JSON.stringify(before?.acknowledged ?? null);
    if (!dryRun && waiting.held.has(ticket.id)) {
      // Waiting for budget: its own timer re-checks it, unless that timer is lost
      // or the ticket needs no mark any more (then the check takes it out of the line).
      if (waiting.timerLost.has(ticket.id) || !planWrites(decision.plan)) checks.push({ tracker: job.tracker, ticketId: ticket.id, reason, configVersion: config.version });
      continue;
    }
    if (!dryRun && (planWrites(decision.plan) || ackChanged)) {
      checks.push({ tracker: job.tracker, ticketId: ticket.id, reason, configVersion: config.version });
      continue;
    }
    const previous = await ctx.verdicts.get(ticket.tracker, ticket.id);
    const wouldWrite = dryRun ? describePlan(decision.plan, state.botComment !== null) : [];
    const record = recordOf(state, decision, config, now, previous, { held: decision.heldBy === 'before-enforce-from' ? 'before-enforce-from' : undefined, wouldWrite });
    await ctx.verdicts.put(record);
    await ctx.suggestions?.recordVerdict(previous, record);
    if (decision.resolution.verdict === 'pending' && decision.resolution.recheckAt) {
      await scheduleTimer(ctx.queues.checks[ticket.tracker], { tracker: ticket.tracker, ticketId: ticket.id, reason: 'pending' }, 'pending', Date.parse(decision.resolution.recheckAt) + 1000, now);
    }
  }
  await scheduleChecks(ctx.queues.checks[job.tracker], checks, 0);
  await notePageSeen(ctx, redis, keys, job, ids, page.next === undefined);
  const key = keys.sweepProgress(job.sweepId);
  await redis
    .multi()
    .hincrby(key, 'pages', 1)
    .hincrby(key, 'tickets', page.items.length)
    .hset(key, 'done', page.next ? '0' : '1')
    .expire(key, PROGRESS_TTL_S)
    .exec();
  if (page.next) await ctx.queues.sweeps.add('sweep', { ...job, cursor: page.next });
  return { tickets: page.items.length, more: page.next !== undefined, checks: checks.length };
}

/** Starts one sweep per configured tracker (or the one asked for). */
export async function startSweeps(
  ctx: Pick<WorkerContext, 'queues' | 'trackers' | 'config' | 'now'>,
  redis: Redis,
  keys: Keys,
  request: { tracker?: TrackerId; teams?: string[]; reason: SweepJob['reason'] },
): Promise<{ sweepIds: string[] }> {
  const trackers = (Object.keys(ctx.trackers) as TrackerId[]).filter((t) => !request.tracker || t === request.tracker);
  const sweepIds: string[] = [];
  // A config change's sweep decides with that config, wherever its pages run.
  const configVersion = request.reason === 'config' ? ((await ctx.config.currentVersion()) ?? undefined) : undefined;
  if (request.reason === 'config' || request.reason === 'nightly') {
    // The budget may be raised or gone, dry_run off: the tickets waiting for budget are looked at
    // first, and at once, not when their page of the sweep comes; nightly, also those no page
    // shows any more (closed, out of scope) whose timer is lost (see release-held.ts).
    await ctx.queues.sweeps.add('release-held', { releaseHeld: request.reason, configVersion });
  }
  // A new tree changes what finished work served: the completion history is read back under it.
  if (request.reason === 'config') await startBackfills(ctx, 'config', configVersion);
  for (const tracker of trackers) {
    const sweepId = randomUUID();
    await redis
      .multi()
      .hset(keys.sweepProgress(sweepId), { sweepId, tracker, reason: request.reason, pages: 0, tickets: 0, done: '0', startedAt: new Date().toISOString() })
      .expire(keys.sweepProgress(sweepId), PROGRESS_TTL_S)
      .zadd(keys.sweepProgress('index'), Date.now(), sweepId)
      .exec();
    await ctx.queues.sweeps.add('sweep', { tracker, reason: request.reason, teams: request.teams ?? [], sweepId, ...(configVersion === undefined ? {} : { configVersion }) });
    sweepIds.push(sweepId);
  }
  return { sweepIds };
}

/** The most recent sweeps, newest first. */
export async function sweepProgress(redis: Redis, keys: Keys, limit = 20): Promise<SweepProgress[]> {
  const ids = await redis.zrevrange(keys.sweepProgress('index'), 0, limit - 1);
  const rows = await Promise.all(ids.map((id) => redis.hgetall(keys.sweepProgress(id))));
  return rows
    .filter((r) => r.sweepId)
    .map((r) => ({
      sweepId: r.sweepId!,
      tracker: r.tracker ?? '',
      reason: r.reason ?? '',
      pages: Number(r.pages ?? 0),
      tickets: Number(r.tickets ?? 0),
      done: r.done === '1',
      startedAt: r.startedAt ?? '',
    }));
}
