// Jira comment deliveries → command events. Only a comment whose first line is a
// `/cascade` command is queued: every other comment (Cascade's own among
// them) is answered as ignored at the door and costs nothing more. Pure.
import { commandLine } from '../../commands/parse-command.js';
import { adfOwnText } from './adf-text.js';
import { COMMAND_BODY_LIMIT as BODY_LIMIT, commentWrittenAt as writtenAt } from '../comment-command.js';
import type { Normalised } from '../../records/normalised-event.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

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
