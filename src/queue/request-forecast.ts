// Asks the workers to recompute the forecast report. Debounced: the triggers come in
// bursts (a backfill's last page and the signals read after it, one per tracker, a
// config change), and one computation after the burst settles is all they need. The
// computation itself (10,000 trials per objective) runs on a worker, never on the
// receiver's event loop.
import type { Queue } from 'bullmq';
import type { DigestJob } from './job-types.js';

export const FORECAST_DEDUP_ID = 'forecast';
/** How long a burst of triggers is collected before one computation. */
export const FORECAST_DEBOUNCE_MS = 2000;

export async function requestForecast(queue: Queue<DigestJob>, debounceMs = FORECAST_DEBOUNCE_MS): Promise<void> {
  await queue.add('forecast', { kind: 'forecast' }, {
    delay: debounceMs,
    // Each trigger inside the window pushes the computation back and stands for the ones before it.
    deduplication: { id: FORECAST_DEDUP_ID, ttl: debounceMs, extend: true, replace: true },
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
  });
}
