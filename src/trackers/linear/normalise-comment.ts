// Linear comment deliveries → command events. Only a comment whose first line
// is a `/cascade` command is queued: every other comment (Cascade's own among
// them) is answered as ignored at the door and costs nothing more. Pure.
import { commandLine } from '../../commands/parse-command.js';
import type { Normalised } from '../../records/normalised-event.js';
import { COMMAND_BODY_LIMIT as BODY_LIMIT, commentWrittenAt as writtenAt } from '../comment-command.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

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
