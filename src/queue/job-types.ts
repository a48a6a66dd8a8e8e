// The shapes of the jobs on each queue.
import type { TrackerId } from '../strategy/types.js';
import type { ContainerRef } from '../strategy/types.js';
import type { PayloadFields } from '../records/normalised-event.js';
import { TRACKERS } from '../trackers/registry.js';
import { isDefaultInstallation, type InstallationRef } from '../trackers/installations.js';
import type { QueuedDelivery } from '../records/event-schema.js';
import type { DriftEvent } from '../forecast/forecast-report.js';

export const QUEUE_NAMES = {
  /** Accepted deliveries, one job each, its id the delivery's (the 24 h memory of delivery ids is the inbox's: src/queue/inbox.ts). */
  events: 'events',
  /** Re-check the tickets under a container, a page per job. */
  fanout: 'fanout',
  /** Nightly reconciliation and config re-checks: open tickets in scope, a page per job. */
  sweeps: 'sweeps',
  /** The weekly digest and its Slack delivery. */
  digest: 'digest',
} as const;

/**
 * One pending check per ticket, debounced over the quiet period; a queue per
 * tracker (named by its descriptor), so each has its own rate limiter: the
 * trackers' budgets are separate, and one pausing must not stall the other.
 */
export function checkQueueOf(tracker: TrackerId): string {
  return TRACKERS[tracker].checkQueue;
}

/**
 * The check queue of one installation: the tracker's own for the default
 * installation, `<tracker's queue>-<installation id>` for each installed
 * workspace, so each has its own rate limiter and workers and a storm of
 * changes in one workspace never holds up another's checks.
 */
export function checkQueueName(ref: InstallationRef): string {
  return isDefaultInstallation(ref.installation) ? checkQueueOf(ref.tracker) : `${checkQueueOf(ref.tracker)}-${ref.installation}`;
}

export type EventJob = QueuedDelivery;

export type { InstallationRef };

export type CheckReason = 'webhook' | 'fanout' | 'sweep' | 'pending' | 'recheck' | 'budget' | 'config' | 'command' | 'exemption-ends';

export interface CheckJob {
  tracker: TrackerId;
  /** The tracker's installation the job concerns; absent: the default one (src/trackers/installations.ts). */
  installation?: string;
  ticketId: string;
  reason: CheckReason;
  /** The delivery that caused it, for the log. */
  deliveryId?: string;
  /** A timer: when due, it schedules the ticket's de-duplicated check and does nothing else. */
  timer?: boolean;
  /** The config version the check must see at least (asked for by a config change). */
  configVersion?: number;
  /** The ticket's team id, when the webhook named it: a team out of the installation's reach is not read. */
  teamId?: string;
}

export interface FanoutJob {
  tracker: TrackerId;
  /** The tracker's installation the job concerns; absent: the default one (src/trackers/installations.ts). */
  installation?: string;
  container: ContainerRef;
  cursor?: string;
  deliveryId?: string;
}

export interface SweepJob {
  tracker: TrackerId;
  /** The tracker's installation the job concerns; absent: the default one (src/trackers/installations.ts). */
  installation?: string;
  reason: 'nightly' | 'config' | 'admin';
  /** Team or project keys; empty = the config's scope. */
  teams: string[];
  cursor?: string;
  /** Groups the pages of one sweep, for progress in /admin/queues. */
  sweepId: string;
  /** The config version the sweep must see at least (a config change started it). */
  configVersion?: number;
}

/** The nightly scheduler's job: starts one sweep per configured tracker. */
export interface StartSweepJob {
  start: 'nightly';
}

/**
 * Looks again at the tickets waiting for write budget under the rules now in force
 * (after a config change, when a worker starts, nightly): those whose turn has come are
 * checked at once, oldest first; those whose timer is lost or too late get a new one.
 */
export interface ReleaseHeldJob {
  releaseHeld: 'config' | 'start' | 'nightly';
  /** The config version the job must see at least. */
  configVersion?: number;
}

/**
 * Reads the last 12 weeks of done tickets back from one tracker into
 * completion records, a page per job (on start and after a config change).
 */
export interface BackfillJob {
  backfill: 'start' | 'config';
  tracker: TrackerId;
  /** Absent: the default installation. */
  installation?: string;
  /** ISO 8601: tickets done at or after it; the same for every page of one backfill. */
  since: string;
  cursor?: string;
  /** The config version the backfill must see at least (a config change started it). */
  configVersion?: number;
}

/** Reads a tracker's customer requests and reported health (after a backfill, and nightly). */
export interface SignalsJob {
  signals: TrackerId;
  /** Absent: the default installation. */
  installation?: string;
  /** The config version the job must see at least (rules.customer_field, rules.scope). */
  configVersion?: number;
}

export interface DigestJob {
  /**
   * compute: the scheduled digest of the week that ended · refresh: the pages' current digest · slack: deliver a stored week ·
   * proposals: group the proposals · forecast: recompute the forecast report (debounced) · drift: post drift alerts that started or ended to Slack.
   */
  kind: 'compute' | 'refresh' | 'slack' | 'proposals' | 'forecast' | 'drift';
  /** For slack: the ISO week whose stored digest to send. */
  isoWeek?: string;
  /** For drift: what to post. */
  drift?: DriftEvent[];
}

export type { PayloadFields };
