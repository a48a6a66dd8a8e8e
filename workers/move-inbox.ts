// Moves accepted deliveries from the receiver's inbox into the events queue,
// in bulk, as long as the workers run. Any worker process may run it; the
// inbox's lock keeps one mover at a time.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Inbox } from '../src/queue/inbox.js';
import type { EventJob } from '../src/queue/job-types.js';

/** How long an empty inbox is left before looking again. */
const IDLE_MS = 25;

export function startInboxMover(inbox: Inbox, events: Queue<EventJob>, logger: Logger): { close(): Promise<void> } {
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
  const loop = (async () => {
    while (running) {
      try {
        if ((await inbox.drain(events)) === 0) await pause(IDLE_MS);
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'could not move the inbox into the events queue; retrying');
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
