// Turns jira.js failures into Cascade's tracker errors. jira.js 6 throws an
// ApiError with the status and Jira's parsed error body; a 429 is a
// RateLimitError whose retryAfterMs jira.js read from Retry-After (seconds or an
// HTTP date; TRACKERS.md §8). It never retries by itself (no `retry` option).
import { isApiError, isRateLimitError } from 'jira.js';
import { PermanentTrackerError, RateLimitedError } from '../tracker.js';

/** When Jira sends a 429 without Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 10_000;

/** The HTTP status of a jira.js failure, or undefined for network errors and others. */
export function statusOf(err: unknown): number | undefined {
  return isApiError(err) ? err.status : undefined;
}

/** Jira's own words for a failure: errorMessages and field errors. */
export function jiraMessage(err: unknown): string {
  const data = ((isApiError(err) ? err.body : undefined) ?? {}) as {
    errorMessages?: unknown;
    errors?: unknown;
  };
  const parts: string[] = [];
  if (Array.isArray(data.errorMessages)) parts.push(...data.errorMessages.map(String));
  if (data.errors && typeof data.errors === 'object') {
    parts.push(...Object.entries(data.errors).map(([field, message]) => `${field}: ${String(message)}`));
  }
  return parts.join('; ') || (err instanceof Error ? err.message : String(err));
}

/** The error to throw for a failed call: rate limits and permanent failures typed, the rest retryable. */
export function mapJiraError(err: unknown, what: string): Error {
  const status = statusOf(err);
  if (status === undefined) return err instanceof Error ? err : new Error(`${what}: ${String(err)}`);
  const detail = jiraMessage(err);
  if (status === 429) {
    const asked = isRateLimitError(err) ? err.retryAfterMs : undefined;
    const wait = asked === undefined ? DEFAULT_RETRY_AFTER_MS : Math.ceil(asked);
    return new RateLimitedError(`Jira rate limit on ${what}; retry in ${wait} ms`, wait);
  }
  if (status === 401 || status === 403) {
    return new PermanentTrackerError(
      `Jira refused ${what} (${status}): ${detail}. Check JIRA_EMAIL and JIRA_API_TOKEN and the bot's project permissions.`,
      status,
    );
  }
  if (status >= 400 && status < 500) return new PermanentTrackerError(`Jira rejected ${what} (${status}): ${detail}`, status);
  return Object.assign(new Error(`Jira failed ${what} (${status}): ${detail}`), { status });
}
