// Turns jira.js failures into Cascade's tracker errors. jira.js 5 throws an
// HttpException whose `cause` is the AxiosError, so Retry-After is only at
// err.cause.response.headers (TRACKERS.md §8); it never retries by itself.
import { PermanentTrackerError, RateLimitedError } from '../tracker.js';

/** When Jira sends a 429 without Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 10_000;

interface HttpFailure {
  status: number;
  response?: unknown;
  cause?: { response?: { headers?: unknown } };
}

/** The HTTP status of a jira.js failure, or undefined for network errors and others. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as Partial<HttpFailure> | null)?.status;
  return typeof status === 'number' && status >= 100 ? status : undefined;
}

function header(err: HttpFailure, name: string): string | undefined {
  const headers = err.cause?.response?.headers as { get?: (n: string) => unknown } & Record<string, unknown> | undefined;
  if (!headers) return undefined;
  const value = typeof headers.get === 'function' ? headers.get(name) : headers[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number {
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

/** Jira's own words for a failure: errorMessages and field errors. */
export function jiraMessage(err: unknown): string {
  const data = ((err as { response?: { data?: unknown } } | null)?.response?.data ?? {}) as {
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
    const wait = retryAfterMs(header(err as HttpFailure, 'retry-after'));
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
