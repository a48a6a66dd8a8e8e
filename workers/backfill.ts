// The completion backfill: on start and after a config change, the tickets
// done in the last 12 weeks are read back from each tracker, a page per job on
// the sweeps queue (one at a time, like a sweep's pages), and each gets its
// completion record with the lineage it had when it closed, resolved under the
// config now in force. It writes nothing to the trackers, and running it twice
// gives the same records: a record is keyed by ticket and computed from the
// ticket as read.
import type { BackfillJob } from '../src/queue/job-types.js';
import type { WorkerContext } from './worker-context.js';
import { trackerOf } from './check-ticket.js';
import { loadCommandStates } from './command-state.js';
import { configAtLeast } from './config-at-least.js';
import { completionOf } from './record-completion.js';
import { installationOf, installationsOf, isDefaultInstallation, trackerFor, type InstallationRef } from '../src/trackers/installations.js';
import { requestForecast } from '../src/queue/request-forecast.js';

/** Reads customer requests and reported health from each installation whose tracker has them (or the one named), one job per installation at a time. */
export async function startSignals(ctx: Pick<WorkerContext, 'queues' | 'trackers' | 'installations'>, only?: InstallationRef, configVersion?: number): Promise<void> {
  const refs = only ? [only] : await installationsOf(ctx);
  for (const ref of refs) {
    const t = await trackerFor(ctx, ref);
    if (!(t?.listCustomerDemand || t?.listReportedHealth || t?.listFieldDemand)) continue;
    const dedupe = isDefaultInstallation(ref.installation) ? ref.tracker : `${ref.tracker}:${ref.installation}`;
    await ctx.queues.sweeps.add('signals', { signals: ref.tracker, ...installationOf(ref), ...(configVersion === undefined ? {} : { configVersion }) }, { deduplication: { id: `signals:${dedupe}:${configVersion ?? 'current'}` } });
  }
}

export async function backfillPage(ctx: WorkerContext, job: BackfillJob): Promise<{ tickets: number; more: boolean }> {
  const tracker = await trackerOf(ctx, job);
  if (!tracker.listDoneSince) return { tickets: 0, more: false };
  const config = await configAtLeast(ctx.config, job.configVersion);
  const rules = config.index.rules;
  const scope = rules.scope[job.tracker] ?? [];
  const page = await tracker.listDoneSince(job.since, { teams: scope }, job.cursor);
  ctx.metrics.trackerReads.inc({ tracker: job.tracker });
  const commands = await loadCommandStates(ctx, job.tracker, page.items.map((s) => s.ticket.id));
  const now = ctx.now();
  const records = page.items
    .filter((s) => s.ticket.state === 'closed')
    .map((s) => completionOf(s.ticket, config, commands.get(s.ticket.id)?.exemption ?? null, now.toISOString(), 'backfill'));
  await ctx.completions.putMany(records, now);
  if (page.next) await ctx.queues.sweeps.add('backfill', { ...job, cursor: page.next, configVersion: config.version });
  else {
    await startSignals(ctx, { tracker: job.tracker, ...installationOf(job) }, config.version);
    // The history changed: the forecasts are recomputed (debounced with the signals read that follows).
    await requestForecast(ctx.queues.digest);
  }
  if (!page.next) ctx.logger.info({ tracker: job.tracker, reason: job.backfill, since: job.since }, `${job.tracker}: completion history read back to ${job.since.slice(0, 10)}`);
  return { tickets: records.length, more: page.next !== undefined };
}
