// Jira deliveries (TRACKERS.md §6) → tracker-neutral events. Pure.
import type { Normalised, PayloadFields } from './normalised-event.js';
import { normaliseJiraComment } from './normalise-comment.js';

/** Changelog fields that can alter a verdict. The deprecated epic fields still appear on some sites. */
const LINEAGE_FIELDS = new Set(['parent', 'labels', 'issuetype', 'status', 'project', 'resolution', 'epic link', 'parent link', 'issueparentassociation', 'key']);
const FANOUT_FIELDS = new Set(['parent', 'labels', 'status', 'epic link', 'parent link', 'issueparentassociation', 'issuetype']);
/** issue_event_type_name values that are comment echoes: the same change also arrives as comment_*. */
const COMMENT_EVENTS = new Set(['issue_commented', 'issue_comment_edited', 'issue_comment_deleted']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

export function normaliseJira(body: unknown): Normalised {
  if (!isObject(body)) return { malformed: 'the body is not a JSON object' };
  const event = str(body.webhookEvent);
  if (!event) return { malformed: 'webhookEvent is required' };
  const actions: Record<string, 'create' | 'update' | 'remove'> = {
    'jira:issue_created': 'create',
    'jira:issue_updated': 'update',
    'jira:issue_deleted': 'remove',
  };
  if (event === 'comment_created' || event === 'comment_updated') return normaliseJiraComment(body);
  const action = actions[event];
  if (!action) return { ignored: `${event} does not affect lineage` };
  const issue = body.issue;
  if (!isObject(issue) || !str(issue.id) || !str(issue.key)) return { malformed: 'issue.id and issue.key are required' };
  const typeName = str(body.issue_event_type_name);
  if (typeName && COMMENT_EVENTS.has(typeName)) return { ignored: 'comment echo (handled as comment_* or not at all)' };

  const items = isObject(body.changelog) && Array.isArray(body.changelog.items) ? body.changelog.items : null;
  const changed = items ? items.map((i) => (isObject(i) ? String(i.fieldId ?? i.field ?? '') : '')).filter(Boolean) : null;
  const lower = changed?.map((f) => f.toLowerCase()) ?? null;
  const fields = isObject(issue.fields) ? issue.fields : {};
  const issueType = isObject(fields.issuetype) ? fields.issuetype : {};
  const level = typeof issueType.hierarchyLevel === 'number' ? issueType.hierarchyLevel : 0;
  const hasChildren = level >= 1 || (Array.isArray(fields.subtasks) && fields.subtasks.length > 0);
  const relevant = action !== 'update' || lower === null || lower.some((f) => LINEAGE_FIELDS.has(f));
  const fanout = action === 'update' && hasChildren && (lower === null || lower.some((f) => FANOUT_FIELDS.has(f)));
  const actorId = isObject(body.user) ? str(body.user.accountId) : undefined;
  return {
    event: { kind: 'ticket', tracker: 'jira', action, ticketId: issue.id as string, actorId, changed, relevant, fanout, fields: jiraFields(issue.key as string, fields) },
  };
}

function jiraFields(key: string, fields: Json): PayloadFields {
  const status = isObject(fields.status) ? fields.status : undefined;
  const category = status && isObject(status.statusCategory) ? str(status.statusCategory.key) : undefined;
  const project = isObject(fields.project) ? fields.project : undefined;
  return {
    key,
    title: str(fields.summary),
    closed: category ? category === 'done' : undefined,
    stateName: str(status?.name),
    team: str(project?.key),
  };
}
