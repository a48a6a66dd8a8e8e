// On each accepted delivery: decide what it means for Cascade.
//   own echo (only Cascade's labels changed, by Cascade)  → nothing (a check when this deployment
//                                                           still records the mark it took off)
//   ticket removed                                        → forget it
//   ticket update that cannot change a known verdict       → refresh the record from the payload, no tracker read
//   any other ticket change                               → one debounced check (+ its children when lineage moved)
//   project / initiative change                           → forget cached ancestry, re-check the tickets under it
//   a person's /cascade command in a comment              → record what they asked, then one debounced check
//   the app removed from a workspace, its teams changed    → the installation revoked, its teams stored (installation-events.ts)
//   an event of an installation no longer active           → nothing (a log line)
//   a ticket in a team the installation may not reach      → nothing
import type { EventJob } from '../src/queue/job-types.js';
import { scheduleCheck } from '../src/queue/enqueue.js';
import type { ContainerEvent, TicketEvent } from '../src/records/normalised-event.js';
import type { WorkerContext } from './worker-context.js';
import type { Tracker } from '../src/trackers/tracker.js';
import type { Invalidations } from './invalidations.js';
import { handleCommand, type CommandOutcome } from './handle-command.js';
import { completionFromKnown } from './record-completion.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { installationOf, isDefaultInstallation, trackerFor } from '../src/trackers/installations.js';
import { handleInstallationEvent, type InstallationEventOutcome } from './installation-events.js';
import { outOfReach } from './check-ticket.js';

export type EventOutcome = 'own-echo' | 'forgotten' | 'refreshed' | 'checking' | 'fanning-out' | 'no-tracker' | 'installation-ended' | 'out-of-reach' | CommandOutcome | InstallationEventOutcome;

/** Fields Cascade itself changes on a ticket: an update by Cascade touching only these is its own echo. */
const OWN_FIELDS = new Set(['labelIds', 'labels', 'updatedAt', 'comment']);

export async function handleEvent(ctx: WorkerContext, invalidations: Invalidations, delivered: EventJob): Promise<EventOutcome> {
  const { event } = delivered;
  if (event.kind === 'installation-revoked' || event.kind === 'access-changed') return handleInstallationEvent(ctx, delivered, event);
  const job = await adoptInstallation(ctx, delivered);
  const tracker = await trackerFor(ctx, job);
  if (!tracker && !isDefaultInstallation(job.installation)) {
    if (event.kind === 'ticket' && event.action !== 'remove' && (await ctx.installations?.get(job.installation as string))?.status === 'needs_reauth') {
      // Waiting for a new consent: the check waits on the installation's paused queue, unread, and runs once it is given.
      await scheduleCheck(ctx.queues.checksFor(job), { tracker: event.tracker, ...installationOf(job), ticketId: event.ticketId, reason: 'webhook', deliveryId: job.deliveryId }, ctx.quietMs);
      return 'checking';
    }
    ctx.logger.info({ delivery: job.deliveryId, installation: job.installation }, `a ${event.tracker} delivery arrived for an installation that is not active: dropped, nothing read or written`);
    return 'installation-ended';
  }
  if (!tracker) {
    ctx.logger.warn({ delivery: job.deliveryId }, `a ${event.tracker} delivery arrived but no ${event.tracker} credentials are configured; it is dropped`);
    return 'no-tracker';
  }
  if (event.kind === 'ticket' && (await outOfReach(ctx, job, event.fields.teamId))) {
    ctx.logger.debug({ delivery: job.deliveryId, installation: job.installation, ticket: event.ticketId }, 'a ticket in a team the installation may no longer reach: left alone');
    return 'out-of-reach';
  }
  if (event.kind === 'comment') return handleCommand(ctx, tracker, job, event);
  if (await isOwnEcho(event, () => tracker.identity().then((me) => me.id))) {
    return event.kind === 'ticket' && event.removed ? onOwnRemoval(ctx, job, event) : 'own-echo';
  }
  return event.kind === 'ticket' ? onTicket(ctx, invalidations, job, event, tracker) : onContainer(ctx, invalidations, job, event);
}

/**
 * The receiver routes by a map of installations it reads again at most once a
 * second, so a delivery from a workspace installed a moment ago can arrive as the
 * default installation's (whose API key cannot read that workspace). The
 * workspace it names decides: an installation of it in this tenant takes it.
 */
async function adoptInstallation(ctx: WorkerContext, job: EventJob): Promise<EventJob> {
  const workspaceId = job.event.workspaceId;
  if (!isDefaultInstallation(job.installation) || workspaceId === undefined || !ctx.installations) return job;
  const installed = (await ctx.installations.list()).find((r) => r.tracker === job.event.tracker && r.workspace.id === workspaceId);
  return installed ? { ...job, installation: installed.id } : job;
}

async function onTicket(ctx: WorkerContext, invalidations: Invalidations, job: EventJob, event: TicketEvent, tracker: Tracker): Promise<EventOutcome> {
  if (event.action === 'remove') {
    await ctx.verdicts.remove(event.tracker, event.ticketId);
    await Promise.all([ctx.exemptions.forget(event.tracker, event.ticketId), ctx.commandReplies.remove(event.tracker, event.ticketId)]);
    invalidations.publish(job, { kind: 'ticket', id: event.ticketId });
    return 'forgotten';
  }
  if (!event.relevant) {
    const known = await ctx.verdicts.get(event.tracker, event.ticketId);
    if (known) {
      const f = event.fields;
      await ctx.verdicts.put({
        ...known,
        title: f.title ?? known.title,
        estimate: f.estimate === undefined ? known.estimate : f.estimate,
        url: f.url ?? known.url,
      });
      await refreshCompletion(ctx, known, event);
      return 'refreshed';
    }
  }
  if (event.removed && event.actorId && event.actorId !== (await tracker.identity()).id && (await showsMark(ctx, event))) {
    // Who took a mark off, for the check: if the mark was Cascade's, this person acknowledged the verdict.
    // Noted on the workers' clock, which the check compares it with (it counts for 24 hours).
    await ctx.written.noteRemoval(event.tracker, event.ticketId, { what: event.removed, by: event.actorId, byName: event.actorName ?? null, at: ctx.now().toISOString() });
  }
  // The ticket may be cached as someone's ancestor (by id and by key): that copy is old now.
  invalidations.publish(job, { kind: 'ticket', id: event.ticketId });
  if (event.fields.key) invalidations.publish(job, { kind: 'ticket', id: event.fields.key });
  // An installed app's check is told the team, to leave one out of reach unread.
  const teamId = event.fields.teamId && !isDefaultInstallation(job.installation) ? { teamId: event.fields.teamId } : {};
  await scheduleCheck(ctx.queues.checksFor(job), { tracker: event.tracker, ...installationOf(job), ticketId: event.ticketId, reason: 'webhook', deliveryId: job.deliveryId, ...teamId }, ctx.quietMs);
  if (event.fanout) {
    // The ticket's own lineage moved: what hangs under it moved too.
    await ctx.queues.fanout.add('fanout', { tracker: event.tracker, ...installationOf(job), container: { kind: 'ticket', id: event.ticketId }, deliveryId: job.deliveryId });
    return 'fanning-out';
  }
  return 'checking';
}

/**
 * An update that closed a ticket without changing its lineage closes it with
 * the verdict on record (no read); one to a finished ticket keeps its
 * completion record's estimate current (estimates are often set at the end).
 */
async function refreshCompletion(ctx: WorkerContext, known: VerdictRecord, event: TicketEvent): Promise<void> {
  const f = event.fields;
  if (f.closed !== true) return;
  const done = await ctx.completions.get(event.tracker, event.ticketId);
  if (done) {
    if (f.estimate !== undefined && f.estimate !== done.estimate) await ctx.completions.put({ ...done, estimate: f.estimate }, ctx.now());
    return;
  }
  const record = known.state === 'open' ? completionFromKnown(known, f, ctx.now()) : null;
  if (record) await ctx.completions.put(record, ctx.now());
}

/** Whether Cascade's record shows a mark of the kind the event took off (no hint is kept for a ticket without one). */
async function showsMark(ctx: WorkerContext, event: TicketEvent): Promise<boolean> {
  const written = await ctx.written.get(event.tracker, event.ticketId);
  return Boolean(event.removed === 'label' ? written?.label : written?.commentId);
}

/**
 * Cascade's own account took a mark off. Usually this deployment did, and its
 * record already says the mark is gone: nothing to do. When the record still
 * shows a mark, another deployment on the same account removed it: the check
 * tells (and puts it back once, see workers/mark-evidence.ts).
 */
async function onOwnRemoval(ctx: WorkerContext, job: EventJob, event: TicketEvent): Promise<EventOutcome> {
  if (!(await showsMark(ctx, event))) return 'own-echo';
  await scheduleCheck(ctx.queues.checksFor(job), { tracker: event.tracker, ...installationOf(job), ticketId: event.ticketId, reason: 'webhook', deliveryId: job.deliveryId }, ctx.quietMs);
  return 'checking';
}

async function onContainer(ctx: WorkerContext, invalidations: Invalidations, job: EventJob, event: ContainerEvent): Promise<EventOutcome> {
  invalidations.publish(job, event.container);
  await ctx.queues.fanout.add('fanout', { tracker: event.tracker, ...installationOf(job), container: event.container, deliveryId: job.deliveryId });
  return 'fanning-out';
}

/**
 * Cascade's own label and comment writes come back as webhooks. An event is
 * an echo when Cascade's account made it and it changed nothing but labels:
 * a person sharing the bot's API key who moves a ticket is still checked.
 */
async function isOwnEcho(event: TicketEvent | ContainerEvent, me: () => Promise<string>): Promise<boolean> {
  if (event.kind !== 'ticket' || event.action !== 'update' || !event.actorId || event.changed === null) return false;
  if (!event.changed.every((f) => OWN_FIELDS.has(f))) return false;
  return event.actorId === (await me());
}
