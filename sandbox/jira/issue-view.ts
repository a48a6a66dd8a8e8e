// Renders store records as REST v3 JSON: issues with the requested `fields`,
// comments, users. Shapes follow Atlassian's REST v3 reference.
import { jiraDate } from './store-rules.js';
import type { JiraStore } from './store.js';
import type { SandboxComment, SandboxIssue, SandboxUser } from './types.js';

/** The custom field the sandbox keeps story points in (Jira Cloud's usual "Story point estimate"). */
export const ESTIMATE_FIELD = 'customfield_10016';
/** The Rank field (Jira Cloud's usual id): a LexoRank string; ORDER BY Rank follows it. */
export const RANK_FIELD = 'customfield_10019';

const ALL_FIELDS = ['summary', 'description', 'labels', 'issuetype', 'status', 'parent', 'project', 'created', 'updated', 'reporter', 'subtasks', 'comment', 'resolutiondate', 'resolution', ESTIMATE_FIELD, RANK_FIELD];
const CATEGORY = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export interface ViewOptions {
  baseUrl: string;
  /** The `fields` parameter, split on commas; undefined means the endpoint's default. */
  fields: string[] | undefined;
  /** What the endpoint returns when `fields` is absent: everything (get issue) or ids only (search). */
  defaultFields: 'all' | 'none';
  /** Comments returned inside the `comment` field; the enhanced search stops at 20. */
  commentLimit?: number;
}

/** Which fields a `fields` parameter selects: names, `*all`, `*navigable`, `-name` exclusions. */
export function selectFields(fields: string[] | undefined, fallback: 'all' | 'none'): Set<string> {
  const list = (fields ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  if (list.length === 0) return new Set(fallback === 'all' ? ALL_FIELDS : []);
  const chosen = new Set<string>();
  for (const entry of list) {
    if (entry === '*all') ALL_FIELDS.forEach((f) => chosen.add(f));
    else if (entry === '*navigable') ALL_FIELDS.filter((f) => f !== 'comment').forEach((f) => chosen.add(f));
  }
  for (const entry of list) {
    if (entry.startsWith('-')) chosen.delete(entry.slice(1));
    else if (!entry.startsWith('*')) chosen.add(entry);
  }
  return chosen;
}

export function userView(baseUrl: string, user: SandboxUser | undefined, accountId: string): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    displayName: user?.displayName ?? 'Former user',
    active: user !== undefined,
    accountType: user?.accountType ?? 'atlassian',
    timeZone: 'UTC',
  };
}

/** A comment as REST v3 shows it; `properties` only when asked for with `expand=properties` (as on POST /comment/list). */
export function commentView(store: JiraStore, baseUrl: string, issue: SandboxIssue, comment: SandboxComment, withProperties = false): Record<string, unknown> {
  const properties = withProperties ? { properties: Object.entries(comment.properties ?? {}).map(([key, value]) => ({ key, value })) } : {};
  return {
    self: `${baseUrl}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: userView(baseUrl, store.users.get(comment.authorId), comment.authorId),
    body: comment.body,
    updateAuthor: userView(baseUrl, store.users.get(comment.updateAuthorId), comment.updateAuthorId),
    created: jiraDate(comment.created),
    updated: jiraDate(comment.updated),
    jsdPublic: true,
    ...(comment.visibility ? { visibility: comment.visibility } : {}),
    ...properties,
  };
}

function issueTypeView(store: JiraStore, baseUrl: string, issue: SandboxIssue): Record<string, unknown> {
  const type = store.typeOf(issue);
  return {
    self: `${baseUrl}/rest/api/3/issuetype/${type.id}`,
    id: type.id,
    name: type.name,
    subtask: type.hierarchyLevel === -1,
    hierarchyLevel: type.hierarchyLevel,
  };
}

function statusView(store: JiraStore, baseUrl: string, issue: SandboxIssue): Record<string, unknown> {
  const status = store.statusOf(issue);
  const category = CATEGORY[status.category];
  return {
    self: `${baseUrl}/rest/api/3/status/${status.id}`,
    id: status.id,
    name: status.name,
    statusCategory: { self: `${baseUrl}/rest/api/3/statuscategory/${category.id}`, ...category },
  };
}

/** The short form Jira nests for a parent or a sub-task. */
function linkedIssueView(store: JiraStore, baseUrl: string, issue: SandboxIssue): Record<string, unknown> {
  return {
    id: issue.id,
    key: issue.key,
    self: `${baseUrl}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusView(store, baseUrl, issue),
      priority: { name: 'Medium', id: '3' },
      issuetype: issueTypeView(store, baseUrl, issue),
    },
  };
}

function fieldValue(store: JiraStore, issue: SandboxIssue, field: string, options: ViewOptions): unknown {
  const { baseUrl } = options;
  switch (field) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description;
    case 'labels':
      return [...issue.labels];
    case 'issuetype':
      return issueTypeView(store, baseUrl, issue);
    case 'status':
      return statusView(store, baseUrl, issue);
    case 'parent': {
      const parent = store.parentOf(issue);
      return parent ? linkedIssueView(store, baseUrl, parent) : undefined;
    }
    case 'project': {
      const project = store.projectOf(issue);
      return { self: `${baseUrl}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name, projectTypeKey: 'software', simplified: false };
    }
    case 'created':
      return jiraDate(issue.created);
    case 'updated':
      return jiraDate(issue.updated);
    case 'resolutiondate':
      return issue.resolved === null ? null : jiraDate(issue.resolved);
    case 'resolution':
      return issue.resolved === null ? null : { self: `${baseUrl}/rest/api/3/resolution/10000`, id: '10000', name: 'Done', description: 'Work has been completed on this issue.' };
    case 'reporter':
      return userView(baseUrl, store.users.get(issue.reporterId), issue.reporterId);
    case 'subtasks':
      return store.children(issue.id).filter((c) => store.typeOf(c).hierarchyLevel === -1).map((c) => linkedIssueView(store, baseUrl, c));
    case 'comment': {
      const all = store.comments(issue.id);
      const limit = options.commentLimit ?? all.length;
      const comments = all.slice(0, limit).map((c) => commentView(store, baseUrl, issue, c));
      return { comments, self: `${baseUrl}/rest/api/3/issue/${issue.id}/comment`, maxResults: comments.length, total: all.length, startAt: 0 };
    }
    case ESTIMATE_FIELD:
      return issue.estimate;
    case RANK_FIELD:
      // In creation order, as the sandbox's ORDER BY Rank (LexoRank bucket|rank:).
      return `0|i${Number(issue.id).toString(36).padStart(6, '0')}:`;
    default:
      return issue.customFields && field in issue.customFields ? issue.customFields[field] : store.numberFields.has(field) ? null : undefined;
  }
}

export function issueView(store: JiraStore, issue: SandboxIssue, options: ViewOptions): Record<string, unknown> {
  const selected = selectFields(options.fields, options.defaultFields);
  const view: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${options.baseUrl}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
  };
  if (selected.size === 0) return { id: issue.id };
  const fields: Record<string, unknown> = {};
  for (const field of selected) {
    const value = fieldValue(store, issue, field, options);
    // Jira leaves out `parent` when there is none, and unknown fields entirely.
    if (value !== undefined) fields[field] = value;
  }
  view.fields = fields;
  return view;
}
