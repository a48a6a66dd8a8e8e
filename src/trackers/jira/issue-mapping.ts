// The slice of Jira's REST v3 issue JSON the adapter reads, and its mapping to
// Cascade's tracker-neutral snapshot.
import type { AncestorTicket, TicketSnapshot } from '../../strategy/types.js';
import { adfToText } from './adf-text.js';

export interface JiraComment {
  id: string;
  author?: { accountId?: string };
  body?: unknown;
  /** Only with `expand=properties` (POST /rest/api/3/comment/list). */
  properties?: Array<{ key: string; value?: unknown }>;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields?: {
    summary?: string;
    description?: unknown;
    labels?: string[];
    issuetype?: { id?: string; name?: string; hierarchyLevel?: number; subtask?: boolean };
    status?: { name?: string; statusCategory?: { key?: string } };
    parent?: { id?: string; key?: string };
    project?: { key?: string };
    created?: string;
    resolutiondate?: string | null;
    resolution?: { name?: string } | null;
    comment?: { comments?: JiraComment[]; total?: number };
    subtasks?: Array<{ id?: string; key?: string }>;
    [field: string]: unknown;
  };
}

export interface SearchResult {
  issues?: JiraIssue[];
  nextPageToken?: string | null;
}

/** Fields a checked ticket needs; the estimate field is added when configured. */
export const TICKET_FIELDS = ['summary', 'description', 'labels', 'issuetype', 'status', 'parent', 'project', 'created', 'resolutiondate', 'resolution', 'comment'];
/** Fields an ancestor needs: its labels, type and title, and its own parent to climb on. */
export const ANCESTOR_FIELDS = ['summary', 'labels', 'issuetype', 'parent'];

/** Jira has no canceled state: the default resolutions that mean the work was not done. */
const CANCELED_RESOLUTION = /won't|cancel|duplicate|declined|cannot reproduce/i;

export function parentKeyOf(issue: JiraIssue): string | null {
  return issue.fields?.parent?.key ?? null;
}

/** Sub-tasks (level -1) can never be a parent; everything else might be. */
export function canHaveChildren(issue: JiraIssue): boolean {
  const type = issue.fields?.issuetype;
  return !(type?.hierarchyLevel === -1 || type?.subtask === true);
}

export function toAncestor(issue: JiraIssue): AncestorTicket {
  const f = issue.fields ?? {};
  return {
    id: issue.id,
    key: issue.key,
    title: f.summary,
    labels: Array.isArray(f.labels) ? [...f.labels] : [],
    issueType: f.issuetype?.name,
  };
}

function isoDate(value: string | undefined): string {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString();
}

export function toSnapshot(
  issue: JiraIssue,
  parents: AncestorTicket[],
  options: { host: string; estimateField?: string; rankField?: string },
): TicketSnapshot {
  const f = issue.fields ?? {};
  const description = adfToText(f.description);
  const snapshot: TicketSnapshot = {
    tracker: 'jira',
    id: issue.id,
    key: issue.key,
    title: f.summary ?? '',
    url: `${options.host}/browse/${issue.key}`,
    labels: Array.isArray(f.labels) ? [...f.labels] : [],
    issueType: f.issuetype?.name,
    state: f.status?.statusCategory?.key === 'done' ? 'closed' : 'open',
    stateName: f.status?.name,
    team: f.project?.key ?? issue.key.split('-')[0],
    createdAt: isoDate(f.created),
    parents,
  };
  if (description !== '') snapshot.description = description;
  if (snapshot.state === 'closed' && typeof f.resolutiondate === 'string' && !Number.isNaN(Date.parse(f.resolutiondate))) {
    snapshot.doneAt = isoDate(f.resolutiondate);
    snapshot.doneKind = CANCELED_RESOLUTION.test(f.resolution?.name ?? '') ? 'canceled' : 'completed';
  }
  const rank = options.rankField ? f[options.rankField] : undefined;
  if (typeof rank === 'string' && rank !== '') snapshot.rank = rank;
  if (options.estimateField) {
    const estimate = f[options.estimateField];
    snapshot.estimate = typeof estimate === 'number' && Number.isFinite(estimate) ? estimate : null;
  }
  return snapshot;
}
