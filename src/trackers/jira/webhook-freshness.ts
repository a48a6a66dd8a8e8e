// Whether a signed Jira body is recent enough to act on. A signature proves
// who wrote the bytes, not when: without this a captured delivery (a
// `/cascade exempt` comment, say) could be sent again for ever under a new
// X-Atlassian-Webhook-Identifier. Jira puts the time it sent the event in the
// signed body (`timestamp`, epoch milliseconds, TRACKERS.md §6), and re-sends
// the same body when it retries, for up to about 30 minutes; an hour covers
// those retries with room to spare. The same bytes inside the window are
// caught by the inbox, which remembers each signed body for 24 hours
// (src/queue/inbox.ts). Pure: the time of receipt is passed in.
import { MalformedPayloadError, StaleTimestampError } from '../webhook-errors.js';

/** The oldest a Jira body may be: longer than Jira's retries (about 30 min) take. */
export const JIRA_MAX_AGE_MS = 60 * 60 * 1000;
/** How far ahead of this server's clock a Jira body may be (clock skew). */
export const JIRA_MAX_AHEAD_MS = 5 * 60 * 1000;

/** Throws the coded error a body that is not fresh gets (400 without a timestamp, 401 outside the window). */
export function assertJiraFresh(body: unknown, receivedAt: number): void {
  const timestamp = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { timestamp?: unknown }).timestamp : undefined;
  // Every Jira event carries it; without one a body could never be told from a replay.
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw new MalformedPayloadError('timestamp (epoch milliseconds) is required');
  const age = receivedAt - timestamp;
  if (age > JIRA_MAX_AGE_MS) throw new StaleTimestampError(`timestamp is ${describe(age)} old; Jira deliveries older than 1 hour are refused`);
  if (-age > JIRA_MAX_AHEAD_MS) throw new StaleTimestampError(`timestamp is ${describe(-age)} ahead of this server’s clock; more than 5 minutes ahead is refused`);
}

function describe(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.floor(hours / 24)} days`;
}
