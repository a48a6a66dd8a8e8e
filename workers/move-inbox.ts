// Moves accepted deliveries from the receiver's inbox into the events queue,
// in bulk, as long as the workers run. Any worker process may run it; the
// inbox's lock keeps one mover at a time. Installations take turns in the
// events queue (src/queue/fair-order.ts).
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { InboxLockLostError, type Inbox } from '../src/queue/inbox.js';
import type { EventJob } from '../src/queue/job-types.js';
import type { Metrics } from '../src/metrics.js';
import { FairOrder } from '../src/queue/fair-order.js';

/** How long an empty inbox is left before looking again. */
const IDLE_MS = 25;
/**
 * Moving stops while the events queue already holds this many waiting jobs:
 * under a storm the deliveries wait in the inbox (a compact list, as durable),
 * and Redis's time goes to the receiver's answers instead of job hashes the
 * workers would not reach for minutes. High enough that a storm of a few
 * thousand reaches the queue, where installations take turns
 * (src/queue/fair-order.ts): held in the inbox, another workspace's delivery
 * would wait behind all of it, first in, first out.
 */
export const EVENTS_WAITING_HIGH = 5000;
/** How long a mover held back by a full events queue waits before looking again. */
const HELD_MS = 50;
/** How long after a failed move before trying again. */
const RETRY_MS = 1000;
/** While moves keep failing, one warning per this many attempts (a minute). */
const FAILURE_LOG_EVERY = 60;

export interface InboxMoverOptions {
  /** How long an empty inbox is left before looking again. Default 25 ms. */
  idleMs?: number;
  /** Default EVENTS_WAITING_HIGH. */
  eventsWaitingHigh?: number;
}

export function startInboxMover(
  inbox: Inbox,
  events: Queue<EventJob>,
  logger: Logger,
  metrics?: Pick<Metrics, 'inboxRejected'>,
  options: InboxMoverOptions = {},
): { close(): Promise<void> } {
  const high = options.eventsWaitingHigh ?? EVENTS_WAITING_HIGH;
  // Jobs not yet taken: prioritized ones (fair-order.ts) wait in a list of their own.
  const waiting = (): Promise<number> => events.getJobCountByTypes('waiting', 'prioritized');
  const fair = new FairOrder(waiting);
  let running = true;
  let wake: (() => void) | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const onRejected = (entries: Array<{ sample: string; reason: string }>): void => {
    metrics?.inboxRejected.inc(entries.length);
    logger.warn({ rejected: entries }, `${entries.length} inbox entries were not valid deliveries: kept in the rejected list, not queued`);
  };
  // Consecutive failures: the first is logged at warn, then one line a minute while they last (a Redis outage
  // would otherwise write a line a second), and one when moving works again.
  let failures = 0;
  const loop = (async () => {
    while (running) {
      try {
        const moved = await inbox.drain(events, { onRejected, priorities: (jobs) => fair.prioritiesOf(jobs) });
        if (failures > 0) logger.info({ failures }, 'moving the inbox into the events queue again');
        failures = 0;
        if (moved === 0) await pause(options.idleMs ?? IDLE_MS);
        // Only after a move: an idle inbox costs no look at the queue.
        else while (running && (await waiting()) >= high) await pause(HELD_MS);
      } catch (err) {
        // Nothing is lost (the entries stay in the inbox), but a mover that keeps failing is worth a look.
        const message = err instanceof InboxLockLostError ? err.message : `could not move the inbox into the events queue; retrying: ${(err as Error).message}`;
        if (failures % FAILURE_LOG_EVERY === 0) logger.warn({ err: (err as Error).message, failures: failures + 1 }, message);
        failures += 1;
        await pause(RETRY_MS);
      }
    }
  })();
  return {
    async close() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
