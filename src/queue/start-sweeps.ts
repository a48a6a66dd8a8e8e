// Asking for sweeps and for the completion backfill: jobs on the sweeps queue and
// the sweeps' progress records, nothing more, so the nightly scheduler, the admin
// API's recheck and a config save all start them the same way (the pages run in
// workers/sweep.ts and workers/backfill.ts).
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';
import type { BackfillJob, SweepJob } from './job-types.js';
import type { Queues } from './queues.js';
import type { ConfigStore } from '../store/config-store.js';
import type { Keys } from '../store/keys.js';
import { noteSweepStarted } from '../store/sweep-progress.js';
import { HISTORY_WEEKS } from '../records/completion-record.js';
import type { TrackerId } from '../strategy/types.js';
import { installationOf, installationsOf, trackerFor, type TrackerSource } from '../trackers/installations.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface SweepStarter extends TrackerSource {
  queues: Queues;
  config: Pick<ConfigStore, 'currentVersion'>;
  now(): Date;
}

/** Starts one sweep per installation of each configured tracker (or of the one asked for): the default one and every active app installation, each read with its own adapter. */
export async function startSweeps(
  ctx: SweepStarter,
  redis: RedisClient,
  keys: Keys,
  request: { tracker?: TrackerId; teams?: string[]; reason: SweepJob['reason'] },
): Promise<{ sweepIds: string[] }> {
  const installations = await installationsOf(ctx, request.tracker);
  const sweepIds: string[] = [];
  // A config change's sweep decides with that config, wherever its pages run.
  const configVersion = request.reason === 'config' ? ((await ctx.config.currentVersion()) ?? undefined) : undefined;
  if (request.reason === 'config' || request.reason === 'nightly') {
    // The budget may be raised or gone, dry_run off: the tickets waiting for budget are looked at
    // first, and at once, not when their page of the sweep comes; nightly, also those no page
    // shows any more (closed, out of scope) whose timer is lost (see workers/release-held.ts).
    await ctx.queues.sweeps.add('release-held', { releaseHeld: request.reason, configVersion });
  }
  // A new tree changes what finished work served: the completion history is read back under it.
  if (request.reason === 'config') await startBackfills(ctx, 'config', configVersion);
  for (const ref of installations) {
    const { tracker } = ref;
    const sweepId = randomUUID();
    await noteSweepStarted(redis, keys, { sweepId, tracker, reason: request.reason });
    await ctx.queues.sweeps.add('sweep', { tracker, ...installationOf(ref), reason: request.reason, teams: request.teams ?? [], sweepId, ...(configVersion === undefined ? {} : { configVersion }) });
    sweepIds.push(sweepId);
  }
  return { sweepIds };
}

/** Starts one backfill per installation whose tracker can list done work; the same trigger twice (same config version) runs once. */
export async function startBackfills(ctx: Pick<SweepStarter, 'queues' | 'trackers' | 'installations' | 'now'>, reason: BackfillJob['backfill'], configVersion?: number): Promise<number> {
  const since = new Date(ctx.now().getTime() - HISTORY_WEEKS * WEEK_MS).toISOString();
  let started = 0;
  for (const ref of await installationsOf(ctx)) {
    const { tracker } = ref;
    if (!(await trackerFor(ctx, ref))?.listDoneSince) continue;
    const job: BackfillJob = { backfill: reason, tracker, ...installationOf(ref), since, ...(configVersion === undefined ? {} : { configVersion }) };
    const dedupe = ref.installation ? `${tracker}:${ref.installation}` : tracker;
    await ctx.queues.sweeps.add('backfill', job, { deduplication: { id: `backfill:${dedupe}:${configVersion ?? 'current'}` } });
    started += 1;
  }
  return started;
}
