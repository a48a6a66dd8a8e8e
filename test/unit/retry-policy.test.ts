// How long Cascade keeps retrying a failing job, and how long a tracker's
// Retry-After may pause a queue: computed with BullMQ's own backoff code on
// the options the queues are created with.
import { describe, expect, it } from 'vitest';
import { Backoffs, type BackoffOptions } from 'bullmq';
import { RateLimitError } from 'jira.js';
import { DEFAULT_JOB_OPTIONS } from '../../src/queue/queues.js';
import { MAX_RETRY_AFTER_MS, RateLimitedError } from '../../src/trackers/tracker.js';
import { mapJiraError } from '../../src/trackers/jira/map-error.js';

const MINUTE = 60_000;

/** The pause before each retry, in ms, as BullMQ computes it for these options. */
function pauses(random: () => number): number[] {
  const attempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
  const original = Math.random;
  Math.random = random;
  try {
    return Array.from({ length: attempts - 1 }, (_, i) => Backoffs.calculate(DEFAULT_JOB_OPTIONS.backoff as BackoffOptions, i + 1, new Error('tracker down'), {} as never) as number);
  } finally {
    Math.random = original;
  }
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe('the retry schedule', () => {
  it('keeps retrying for about an hour after the first failure, whatever the jitter draws', () => {
    for (const draw of [0, 0.5, 0.999_999]) {
      const schedule = pauses(() => draw);
      const lastRetry = sum(schedule);
      expect(lastRetry, `jitter draw ${draw}`).toBeGreaterThanOrEqual(50 * MINUTE);
      expect(lastRetry, `jitter draw ${draw}`).toBeLessThanOrEqual(75 * MINUTE);
      // Quick at first (a blip costs seconds), never a pause longer than an hour.
      expect(schedule[0]).toBeLessThanOrEqual(2000);
      expect(Math.max(...schedule)).toBeLessThanOrEqual(60 * MINUTE);
      for (let i = 1; i < schedule.length; i++) expect(schedule[i]).toBeGreaterThan(schedule[i - 1]!);
    }
  });

  it('spreads the retries of jobs that failed together', () => {
    const low = pauses(() => 0);
    const high = pauses(() => 0.999_999);
    expect(high.at(-1)! - low.at(-1)!).toBeGreaterThan(5 * MINUTE);
  });
});

describe("a tracker's Retry-After", () => {
  it(`pauses a queue for at most ${MAX_RETRY_AFTER_MS / MINUTE} minutes`, () => {
    expect(new RateLimitedError('slow down', 3 * 1000).retryAfterMs).toBe(3000);
    expect(new RateLimitedError('slow down', 24 * 60 * MINUTE).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(new RateLimitedError('slow down', Number.POSITIVE_INFINITY).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(new RateLimitedError('slow down', Number.NaN).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBeLessThanOrEqual(15 * MINUTE);
  });

  it('is capped when Jira asks for a day, and is 10 s when Jira gives no Retry-After', () => {
    // What jira.js 6 throws for a 429: Retry-After (seconds or an HTTP date) already read as milliseconds.
    const jira429 = (retryAfterMs: number | undefined) => new RateLimitError('429', 'Too Many Requests', {}, { retryAfterMs });
    const aDay = mapJiraError(jira429(24 * 60 * MINUTE), 'fetch ENT-1');
    expect(aDay).toBeInstanceOf(RateLimitedError);
    expect((aDay as RateLimitedError).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect((mapJiraError(jira429(30_000), 'fetch ENT-1') as RateLimitedError).retryAfterMs).toBe(30_000);
    expect((mapJiraError(jira429(undefined), 'fetch ENT-1') as RateLimitedError).retryAfterMs).toBe(10_000);
  });
});
