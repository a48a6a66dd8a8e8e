// @linear/sdk errors → Cascade's tracker errors, so the queue knows whether to
// wait (rate limit), give up (permanent) or retry with backoff (everything else).
import { LinearError, LinearErrorType, RatelimitedLinearError } from '@linear/sdk';
import { PermanentTrackerError, RateLimitedError } from '../tracker.js';

/** When Linear gives no usable hint, wait this long: its buckets refill over an hour. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const MIN_WAIT_MS = 1_000;

// Retrying cannot fix these: bad credentials, missing permission, a document or
// input Linear refuses.
const PERMANENT = new Set<LinearErrorType>([
  LinearErrorType.AuthenticationError,
  LinearErrorType.Forbidden,
  LinearErrorType.InvalidInput,
  LinearErrorType.FeatureNotAccessible,
  LinearErrorType.GraphqlError,
  LinearErrorType.UserError,
  LinearErrorType.UsageLimitExceeded,
]);

/** Linear refused the credentials: for an OAuth token, expired or revoked (a new one may help once). */
export function isAuthenticationError(error: unknown): boolean {
  return error instanceof LinearError && error.type === LinearErrorType.AuthenticationError;
}

/** Linear answers `issue(id:)` for a missing issue with "Entity not found". */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof LinearError) || error.type !== LinearErrorType.InvalidInput) return false;
  const messages = [error.message, ...(error.errors ?? []).map((e) => e.message)];
  return messages.some((m) => /entity not found|could not find referenced/i.test(m ?? ''));
}

export function toTrackerError(error: unknown, now: number = Date.now()): Error {
  if (error instanceof RatelimitedLinearError || (error instanceof LinearError && error.status === 429)) {
    return new RateLimitedError(`Linear rate limit: ${error.message}`, retryAfterMs(error, now));
  }
  if (error instanceof LinearError && error.type !== undefined && PERMANENT.has(error.type)) {
    const hint = error.type === LinearErrorType.AuthenticationError
      ? ' (check LINEAR_API_KEY or LINEAR_ACCESS_TOKEN)'
      : '';
    return new PermanentTrackerError(`Linear refused the request: ${error.message}${hint}`, error.status);
  }
  // Network errors, 5xx, lock timeouts and unknowns are worth a retry.
  return error instanceof Error ? error : new Error(String(error));
}

function retryAfterMs(error: LinearError, now: number): number {
  const limited = error instanceof RatelimitedLinearError ? error : undefined;
  if (limited?.retryAfter !== undefined) return Math.max(MIN_WAIT_MS, limited.retryAfter * 1000);
  // The reset headers are epoch milliseconds in Linear's current docs, seconds in older ones.
  const buckets = [
    { reset: limited?.requestsResetAt, remaining: limited?.requestsRemaining },
    { reset: limited?.complexityResetAt, remaining: limited?.complexityRemaining },
  ].flatMap(({ reset, remaining }) =>
    typeof reset === 'number' && reset > 0 ? [{ reset: reset < 1e12 ? reset * 1000 : reset, remaining }] : []);
  // Wait for the bucket that is actually empty; when none says so, for the later reset.
  const exhausted = buckets.filter((b) => b.remaining === 0);
  if (buckets.length === 0) return DEFAULT_RATE_LIMIT_WAIT_MS;
  const reset = Math.max(...(exhausted.length > 0 ? exhausted : buckets).map((b) => b.reset));
  // A reset already past when the answer is read (a slow answer on a busy machine, or
  // clocks apart) means the bucket has refilled: wait the minimum, not a minute.
  return Math.max(MIN_WAIT_MS, reset - now);
}
