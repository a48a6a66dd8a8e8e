// A sweep reads every open ticket in scope, a page per job. It writes nothing
// from its pages: it runs the one decision on each ticket only to tell which
// need a write (those get the ticket's one de-duplicated check, which reads it
// fresh) and refreshes the verdict records of the rest.
// Used nightly, after a config change and on POST /admin/recheck.
import type { RedisClient } from '../src/store/redis-client.js';
import type { CheckJob, SweepJob } from '../src/queue/job-types.js';
import { scheduleChecks } from '../src/queue/enqueue.js';
import type { Keys } from '../src/store/keys.js';
import type { WorkerContext } from './worker-context.js';
import { trackerOf } from './check-ticket.js';
import { decideTicket, describePlan, planWrites } from '../src/reconcile/ticket-decision.js';
import { recordVerdict } from './record-verdict.js';
import { loadCommandStates } from './command-state.js';
import { learnedModel } from './suggest-for-ticket.js';
import { notePageSeen } from './prune-unseen.js';
import { configAtLeast } from './config-at-least.js';
import { noteSweepPage } from '../src/store/sweep-progress.js';
import { installationOf, teamInReach } from '../src/trackers/installations.js';

export async function sweepPage(ctx: WorkerContext, redis: RedisClient, keys: Keys, job: SweepJob): Promise<{ tickets: number; more: boolean; checks: number }> {
  const tracker = await trackerOf(ctx, job);
  const reach = job.installation ? (await ctx.installations?.get(job.installation))?.teams : undefined;
  const config = await configAtLeast(ctx.config, job.configVersion);
  const rules = config.index.rules;
  const scope = job.teams.length > 0 ? job.teams : (rules.scope[job.tracker] ?? []);
  const listed = await tracker.listOpenTickets({ teams: scope }, job.cursor);
  // Tickets of a team the installation may no longer reach are left alone: no check, no record.
  const page = reach ? { ...listed, items: listed.items.filter((s) => teamInReach(reach, s.ticket.teamId)) } : listed;
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
      if (waiting.timerLost.has(ticket.id) || !planWrites(decision.plan)) checks.push({ tracker: job.tracker, ...installationOf(job), ticketId: ticket.id, reason, configVersion: config.version });
      continue;
    }
    if (!dryRun && (planWrites(decision.plan) || ackChanged)) {
      checks.push({ tracker: job.tracker, ...installationOf(job), ticketId: ticket.id, reason, configVersion: config.version });
      continue;
    }
    const wouldWrite = dryRun ? describePlan(decision.plan, state.botComment !== null) : [];
    await recordVerdict(ctx, state, decision, config, now, { held: decision.heldBy === 'before-enforce-from' ? 'before-enforce-from' : undefined, wouldWrite, ...installationOf(job) });
  }
  await scheduleChecks(ctx.queues.checksFor(job), checks, 0);
  await notePageSeen(ctx, redis, keys, job, ids, page.next === undefined);
  await noteSweepPage(redis, keys, job.sweepId, page.items.length, page.next === undefined);
  if (page.next) await ctx.queues.sweeps.add('sweep', { ...job, cursor: page.next });
  return { tickets: page.items.length, more: page.next !== undefined, checks: checks.length };
}
