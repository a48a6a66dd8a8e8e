// Moves accepted deliveries from the receiver's inbox into the events queue,
// in bulk, as long as the workers run. Any worker process may run it; the
// inbox's lock keeps one mover at a time.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { InboxLockLostError, type Inbox } from '../src/queue/inbox.js';
import type { EventJob } from '../src/queue/job-types.js';
import type { Metrics } from '../src/metrics.js';

/** How long an empty inbox is left before looking again. */
const IDLE_MS = 25;

export function startInboxMover(inbox: Inbox, events: Queue<EventJob>, logger: Logger, metrics?: Pick<Metrics, 'inboxRejected'>): { close(): Promise<void> } {
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
  const loop = (async () => {
    while (running) {
      try {
        if ((await inbox.drain(events, { onRejected })) === 0) await pause(IDLE_MS);
      } catch (err) {
        // Nothing is lost (the entries stay in the inbox), but a mover that keeps failing is worth a look.
        const message = err instanceof InboxLockLostError ? err.message : `could not move the inbox into the events queue; retrying: ${(err as Error).message}`;
        logger.warn({ err: (err as Error).message }, message);
        await pause(1000);
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
