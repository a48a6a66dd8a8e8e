// The BullMQ queues, created once per process and passed to whoever needs them.
import type { TrackerId } from '../strategy/types.js';
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { perTracker } from '../trackers/registry.js';
import { checkQueueName, checkQueueOf, QUEUE_NAMES, type InstallationRef, type BackfillJob, type CheckJob, type DigestJob, type EventJob, type FanoutJob, type ReleaseHeldJob, type SignalsJob, type StartSweepJob, type SweepJob } from './job-types.js';

export interface QueueOptions {
  connection: ConnectionOptions;
  /** Key prefix. Default `{cascade}`: hash-tagged so a Redis Cluster keeps each queue in one slot. */
  prefix?: string;
}

export interface Queues {
  events: Queue<EventJob>;
  /** By tracker (see checkQueueOf): the default installations' check queues. */
  checks: Record<TrackerId, Queue<CheckJob>>;
  /** The check queue of an installation (checkQueueName): the tracker's own for the default one, one per installed workspace (made on first use). */
  checksFor(ref: InstallationRef): Queue<CheckJob>;
  /** Told of every queue made after start (an installation's check queue), to watch its errors. */
  onQueue?: (queue: Queue) => void;
  fanout: Queue<FanoutJob>;
  sweeps: Queue<SweepJob | StartSweepJob | ReleaseHeldJob | BackfillJob | SignalsJob>;
  digest: Queue<DigestJob>;
  all(): Queue[];
  close(): Promise<void>;
}

/**
 * Retries back off exponentially from 2 s, doubling up to the 12th attempt: the
 * last retry comes about an hour after the first failure (55–68 min with the
 * jitter), so a tracker outage of up to an hour ends in a check, not in the
 * failed list. The jitter spreads the retries of everything that failed in the
 * same outage. Whatever still fails is looked at again by the nightly sweep,
 * which re-checks every open ticket in scope. Completed jobs trimmed, failed
 * ones kept with their reason.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.2 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
};

export function createQueues(options: QueueOptions): Queues {
  const prefix = options.prefix ?? '{cascade}';
  const make = <T>(name: string): Queue<T> =>
    new Queue<T>(name, { connection: options.connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const queues = {
    events: make<EventJob>(QUEUE_NAMES.events),
    checks: perTracker((id) => make<CheckJob>(checkQueueOf(id))),
    fanout: make<FanoutJob>(QUEUE_NAMES.fanout),
    sweeps: make<SweepJob | StartSweepJob | ReleaseHeldJob | BackfillJob | SignalsJob>(QUEUE_NAMES.sweeps),
    digest: make<DigestJob>(QUEUE_NAMES.digest),
  };
  let closing: Promise<void> | undefined;
  const installed = new Map<string, Queue<CheckJob>>();
  const all = (): Queue[] => [queues.events, ...Object.values(queues.checks), ...installed.values(), queues.fanout, queues.sweeps, queues.digest] as Queue[];
  const result: Queues = {
    ...queues,
    checksFor(ref) {
      const name = checkQueueName(ref);
      if (name === checkQueueOf(ref.tracker)) return queues.checks[ref.tracker];
      let queue = installed.get(name);
      if (!queue) {
        installed.set(name, (queue = make<CheckJob>(name)));
        result.onQueue?.(queue);
      }
      return queue;
    },
    all,
    // Idempotent, and one queue failing to close does not keep the others open.
    close: () => (closing ??= Promise.allSettled(all().map((q) => q.close())).then(() => undefined)),
  };
  return result;
}
