// What every tracker's comment normaliser shares: how much of a body is read
// for a command, and the comment's written time. Pure.

/** Enough of a body to find its first line; a command is one line. */
export const COMMAND_BODY_LIMIT = 4000;

/** The comment's time as ISO 8601 (Jira writes `2026-12-07T08:53:06.000+0000`); nothing when absent or unreadable. */
export function commentWrittenAt(value: unknown): { writtenAt?: string } {
  if (typeof value !== 'string' || value.length > 40) return {};
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? {} : { writtenAt: new Date(ms).toISOString() };
}
