// A sweep reads every open ticket in scope, a page per job, and checks each
// from the page itself (the page carries the ancestry: no read per ticket).
// Used nightly, after a config change and on POST /admin/recheck.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SweepJob, SweepProgress } from '../src/queue/job-types.js';
import type { Keys } from '../src/store/keys.js';
import type { TrackerId } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';
import { evaluateTicket, trackerFor } from './check-ticket.js';
import { notePageSeen } from './prune-unseen.js';

/** Progress records live a week. */
const PROGRESS_TTL_S = 7 * 24 * 3600;

export async function sweepPage(ctx: WorkerContext, redis: Redis, keys: Keys, job: SweepJob): Promise<{ tickets: number; more: boolean }> {
  const tracker = trackerFor(ctx, job.tracker);
  const config = await ctx.config.current();
  const scope = job.teams.length > 0 ? job.teams : ((job.tracker === 'linear' ? config.index.rules.scope.linear : config.index.rules.scope.jira) ?? []);
  const page = await tracker.listOpenTickets({ teams: scope }, job.cursor);
  for (const state of page.items) await evaluateTicket(ctx, tracker, state, 'sweep', config);
  await notePageSeen(ctx, redis, keys, job, page.items.map((s) => s.ticket.id), page.next === undefined);
  const key = keys.sweepProgress(job.sweepId);
  await redis
    .multi()
    .hincrby(key, 'pages', 1)
    .hincrby(key, 'tickets', page.items.length)
    .hset(key, 'done', page.next ? '0' : '1')
    .expire(key, PROGRESS_TTL_S)
    .exec();
  if (page.next) await ctx.queues.sweeps.add('sweep', { ...job, cursor: page.next });
  return { tickets: page.items.length, more: page.next !== undefined };
}

/** Starts one sweep per configured tracker (or the one asked for). */
export async function startSweeps(
  ctx: Pick<WorkerContext, 'queues' | 'trackers'>,
  redis: Redis,
  keys: Keys,
  request: { tracker?: TrackerId; teams?: string[]; reason: SweepJob['reason'] },
): Promise<{ sweepIds: string[] }> {
  const trackers = (Object.keys(ctx.trackers) as TrackerId[]).filter((t) => !request.tracker || t === request.tracker);
  const sweepIds: string[] = [];
  for (const tracker of trackers) {
    const sweepId = randomUUID();
    await redis
      .multi()
      .hset(keys.sweepProgress(sweepId), { sweepId, tracker, reason: request.reason, pages: 0, tickets: 0, done: '0', startedAt: new Date().toISOString() })
      .expire(keys.sweepProgress(sweepId), PROGRESS_TTL_S)
      .zadd(keys.sweepProgress('index'), Date.now(), sweepId)
      .exec();
    await ctx.queues.sweeps.add('sweep', { tracker, reason: request.reason, teams: request.teams ?? [], sweepId });
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
