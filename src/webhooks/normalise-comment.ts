// Comment deliveries → command events. Only a comment whose first line is a
// `/cascade` command is queued: every other comment (Cascade's own among
// them) is answered as ignored at the door and costs nothing more. Pure.
import { commandLine } from '../commands/parse-command.js';
import { adfOwnText } from '../trackers/jira/adf-text.js';
import type { Normalised } from '../records/normalised-event.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
/** Enough of a body to find its first line; a command is one line. */
const BODY_LIMIT = 4000;

/** Linear `type: "Comment"`: data {id, body, issueId, issue?, userId, user?}, the actor at the top. */
export function normaliseLinearComment(body: Json, data: Json, action: 'create' | 'update' | 'remove'): Normalised {
  if (action === 'remove') return { ignored: 'a comment was removed' };
  if (action === 'update' && isObject(body.updatedFrom) && !('body' in body.updatedFrom)) return { ignored: 'comment update that did not change its text' };
  const issue = isObject(data.issue) ? data.issue : {};
  const ticketId = str(data.issueId) ?? str(issue.id);
  if (!ticketId) return { ignored: 'a comment on something other than an issue' };
  const command = commandLine(String(data.body ?? '').slice(0, BODY_LIMIT));
  if (command === null) return { ignored: 'a comment without a /cascade command' };
  const actor = isObject(body.actor) ? body.actor : {};
  const user = isObject(data.user) ? data.user : {};
  return {
    event: {
      kind: 'comment',
      tracker: 'linear',
      action,
      ticketId,
      ticketKey: str(issue.identifier),
      ticketUrl: str(issue.url),
      commentId: data.id as string,
      // The actor acted; for a create it is also the author.
      actorId: str(actor.id) ?? str(data.userId),
      actorName: (str(actor.name) ?? str(user.name))?.slice(0, 200),
      command,
      ...writtenAt(action === 'update' ? (data.updatedAt ?? data.createdAt) : data.createdAt),
    },
  };
}

/** Jira `comment_created` / `comment_updated`: {comment{id, author, updateAuthor, body}, issue{id, key, self}}. */
export function normaliseJiraComment(body: Json): Normalised {
  const event = body.webhookEvent === 'comment_updated' ? 'update' : 'create';
  const comment = body.comment;
  const issue = body.issue;
  // Jira's documentation does not settle whether webhook bodies are ADF or wiki text: both are read.
  // Only the author's own top-level text counts: a quoted or example command is not theirs to run.
  const text = isObject(comment) ? adfOwnText(comment.body) : '';
  const command = commandLine(text.slice(0, BODY_LIMIT));
  if (command === null) return { ignored: 'a comment without a /cascade command' };
  if (!isObject(comment) || !str(comment.id)) return { malformed: 'comment.id is required' };
  if (!isObject(issue) || !str(issue.id)) return { malformed: 'issue.id is required' };
  const who = event === 'update' && isObject(comment.updateAuthor) ? comment.updateAuthor : isObject(comment.author) ? comment.author : {};
  const key = str(issue.key);
  return {
    event: {
      kind: 'comment',
      tracker: 'jira',
      action: event,
      ticketId: str(issue.id) as string,
      ticketKey: key,
      ticketUrl: key ? browseUrl(str(issue.self), key) : undefined,
      commentId: str(comment.id) as string,
      actorId: str(who.accountId),
      actorName: str(who.displayName)?.slice(0, 200),
      command,
      ...writtenAt(event === 'update' ? (comment.updated ?? comment.created) : comment.created),
      ...(isRestricted(comment) ? { restricted: true } : {}),
    },
  };
}

/** The comment's time as ISO 8601 (Jira writes `2026-12-07T08:53:06.000+0000`); nothing when absent or unreadable. */
function writtenAt(value: unknown): { writtenAt?: string } {
  if (typeof value !== 'string' || value.length > 40) return {};
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? {} : { writtenAt: new Date(ms).toISOString() };
}

/** Jira comments may be visible only to a role or group: `visibility: { type: 'role' | 'group', value }`. */
function isRestricted(comment: Json): boolean {
  const visibility = comment.visibility;
  return isObject(visibility) && (str(visibility.value) !== undefined || str(visibility.identifier) !== undefined);
}

function browseUrl(self: string | undefined, key: string): string | undefined {
  if (!self) return undefined;
  try {
    const url = new URL(self);
    const base = url.pathname.replace(/\/rest\/api\/.*$/, '');
    return `${url.origin}${base}/browse/${encodeURIComponent(key)}`;
  } catch {
    return undefined;
  }
}
