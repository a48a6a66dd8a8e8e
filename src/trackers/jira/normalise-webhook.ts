// Jira deliveries (TRACKERS.md §6) → tracker-neutral events. Pure.
import type { Normalised, PayloadFields } from '../../records/normalised-event.js';
import { normaliseJiraComment } from './normalise-comment.js';

/** Changelog fields that can alter a verdict. The deprecated epic fields still appear on some sites. */
const LINEAGE_FIELDS = new Set(['parent', 'labels', 'issuetype', 'status', 'project', 'resolution', 'epic link', 'parent link', 'issueparentassociation', 'key']);
const FANOUT_FIELDS = new Set(['parent', 'labels', 'status', 'epic link', 'parent link', 'issueparentassociation', 'issuetype']);
/** issue_event_type_name values that are comment echoes: the same change also arrives as comment_*. */
const COMMENT_EVENTS = new Set(['issue_commented', 'issue_comment_edited', 'issue_comment_deleted']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
/** Display values Jira may send as numbers (a summary of digits); ids and keys are always strings. */
const text = (v: unknown): string | undefined => str(v) ?? (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

const nameOrAbsent = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

// A Map, not an object literal: `webhookEvent: "constructor"` must not find Object.prototype's.
const ACTIONS = new Map<string, 'create' | 'update' | 'remove'>([
  ['jira:issue_created', 'create'],
  ['jira:issue_updated', 'update'],
  ['jira:issue_deleted', 'remove'],
]);

export function normaliseJira(body: unknown): Normalised {
  if (!isObject(body)) return { malformed: 'the body is not a JSON object' };
  const event = str(body.webhookEvent);
  if (!event) return { malformed: 'webhookEvent is required' };
  if (event === 'comment_created' || event === 'comment_updated') return normaliseJiraComment(body);
  const action = ACTIONS.get(event);
  if (!action) return { ignored: `${event.slice(0, 100)} does not affect lineage` };
  const issue = body.issue;
  // Jira sends both as strings ("10001", "ENT-1"); a number here is not Jira's and would fail every check later.
  const ticketId = isObject(issue) ? str(issue.id) : undefined;
  const key = isObject(issue) ? str(issue.key) : undefined;
  if (!isObject(issue) || !ticketId || !key) return { malformed: 'issue.id and issue.key are required, as strings' };
  const typeName = str(body.issue_event_type_name);
  const actorId = isObject(body.user) ? str(body.user.accountId) : undefined;
  const actorName = isObject(body.user) ? str(body.user.displayName) : undefined;
  const who = { actorId, ...(actorName ? { actorName } : {}) };
  if (typeName === 'issue_comment_deleted' && action === 'update') {
    // The issue event says who deleted the comment; it may have been Cascade's (the check tells).
    return { event: { kind: 'ticket', tracker: 'jira', action, ticketId, ...who, changed: ['comment'], relevant: true, fanout: false, fields: {}, removed: 'comment' } };
  }
  if (typeName && COMMENT_EVENTS.has(typeName)) return { ignored: 'comment echo (handled as comment_* or not at all)' };

  const items = isObject(body.changelog) && Array.isArray(body.changelog.items) ? body.changelog.items : null;
  // Field names are strings: anything else (an object with its own toString, say) is not Jira's.
  if (items?.some((i) => isObject(i) && (!nameOrAbsent(i.fieldId) || !nameOrAbsent(i.field)))) return { malformed: 'changelog item field and fieldId must be strings' };
  const changed = items ? items.map((i) => (isObject(i) ? (str(i.fieldId) ?? str(i.field) ?? '') : '')).filter(Boolean) : null;
  const lower = changed?.map((f) => f.toLowerCase()) ?? null;
  const fields = isObject(issue.fields) ? issue.fields : {};
  const issueType = isObject(fields.issuetype) ? fields.issuetype : {};
  const level = typeof issueType.hierarchyLevel === 'number' ? issueType.hierarchyLevel : 0;
  const hasChildren = level >= 1 || (Array.isArray(fields.subtasks) && fields.subtasks.length > 0);
  const relevant = action !== 'update' || lower === null || lower.some((f) => LINEAGE_FIELDS.has(f));
  const fanout = action === 'update' && hasChildren && (lower === null || lower.some((f) => FANOUT_FIELDS.has(f)));
  const removed = items?.some(labelTakenOff) ? { removed: 'label' as const } : {};
  return {
    event: { kind: 'ticket', tracker: 'jira', action, ticketId, ...who, changed, relevant, fanout, fields: jiraFields(key, fields), ...removed },
  };
}

function labelTakenOff(item: unknown): boolean {
  if (!isObject(item) || String(item.field ?? item.fieldId ?? '').toLowerCase() !== 'labels') return false;
  const before = (str(item.fromString) ?? '').split(' ').filter(Boolean);
  const after = new Set((str(item.toString) ?? '').split(' ').filter(Boolean));
  return before.some((label) => !after.has(label));
}

function jiraFields(key: string, fields: Json): PayloadFields {
  const status = isObject(fields.status) ? fields.status : undefined;
  const category = status && isObject(status.statusCategory) ? str(status.statusCategory.key) : undefined;
  const project = isObject(fields.project) ? fields.project : undefined;
  return {
    key,
    title: text(fields.summary),
    closed: category ? category === 'done' : undefined,
    stateName: text(status?.name),
    team: text(project?.key),
  };
}
