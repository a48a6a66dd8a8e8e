// Runs a parsed JQL query over the store. Validation comes first and fails the
// way Jira does: an unknown field, project or issue key is a 400, not an empty
// result, and a query with no restriction is refused by the enhanced search.
import { adfPlainText } from './adf.js';
import { jqlError, parseJql, type JqlExpr, type JqlQuery } from './jql-parse.js';
import type { JiraStore } from './store.js';
import { JiraSandboxError, type SandboxIssue } from './types.js';
import { ESTIMATE_FIELD } from './issue-view.js';

const CATEGORY_NAMES = { new: ['to do', '2'], indeterminate: ['in progress', '4'], done: ['done', '3'] } as const;
const FIELD_ALIASES: Record<string, string> = { issuekey: 'key', type: 'issuetype', 'issue type': 'issuetype', resolutiondate: 'resolved' };
const FIELDS = new Set(['project', 'key', 'id', 'parent', 'statuscategory', 'status', 'issuetype', 'labels', 'summary', 'text', 'created', 'updated', 'resolved']);
const SORTABLE = new Set(['key', 'id', 'created', 'updated', 'summary', 'project', 'rank']);

export const UNBOUNDED_JQL = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

/** The matching issues in query order, or a JiraSandboxError. */
export function runJql(store: JiraStore, jql: string | undefined): SandboxIssue[] {
  if (!jql || jql.trim() === '') throw new JiraSandboxError(400, [UNBOUNDED_JQL]);
  const query = parseJql(jql);
  if (!query.where) throw new JiraSandboxError(400, [UNBOUNDED_JQL]);
  validate(store, query);
  const where = query.where;
  const matched = store.allIssues().filter((issue) => matches(store, issue, where));
  return matched.sort((a, b) => compare(store, a, b, query));
}

function canonical(field: string): string {
  return FIELD_ALIASES[field] ?? field;
}

function validate(store: JiraStore, query: JqlQuery): void {
  const visit = (expr: JqlExpr): void => {
    if (expr.type === 'and' || expr.type === 'or') return expr.items.forEach(visit);
    if (expr.type === 'not') return visit(expr.expr);
    const field = canonical(expr.field);
    const custom = customFieldOf(field);
    if (custom !== null) {
      if (custom !== ESTIMATE_FIELD && !store.numberFields.has(custom)) throw jqlError(`Field '${expr.field}' does not exist or you do not have permission to view it.`);
      return;
    }
    if (!FIELDS.has(field)) throw jqlError(`Field '${expr.field}' does not exist or you do not have permission to view it.`);
    for (const value of expr.values) {
      if ((field === 'key' || field === 'parent') && !store.issue(value)) {
        throw jqlError(`An issue with key '${value}' does not exist for field '${expr.field}'.`);
      }
      if (field === 'project' && !store.project(value)) {
        throw jqlError(`The value '${value}' does not exist for the field '${expr.field}'.`);
      }
      if (field === 'statuscategory' && !categoryKey(value)) {
        throw jqlError(`The value '${value}' does not exist for the field '${expr.field}'.`);
      }
    }
  };
  visit(query.where as JqlExpr);
  for (const { field } of query.orderBy) {
    if (!SORTABLE.has(canonical(field))) throw jqlError(`Not able to sort using field '${field}'.`);
  }
}

function categoryKey(value: string): string | undefined {
  const wanted = value.toLowerCase();
  return Object.entries(CATEGORY_NAMES).find(([key, names]) => key === wanted || (names as readonly string[]).includes(wanted))?.[0];
}

/** The values a clause compares against, lower-cased; empty when the field is empty. */
function fieldValues(store: JiraStore, issue: SandboxIssue, field: string): string[] {
  switch (field) {
    case 'project': {
      const p = store.projectOf(issue);
      return [p.key, p.id, p.name];
    }
    case 'key':
    case 'id':
      return [issue.key, issue.id];
    case 'parent': {
      const parent = store.parentOf(issue);
      return parent ? [parent.key, parent.id] : [];
    }
    case 'statuscategory':
      return [store.statusOf(issue).category];
    case 'status':
      return [store.statusOf(issue).name, issue.statusId];
    case 'issuetype':
      return [store.typeOf(issue).name, issue.issueTypeId];
    case 'labels':
      return issue.labels;
    default:
      return [];
  }
}

/** Whether the issue matches a parsed JQL condition (dynamic webhooks filter deliveries with it). */
export function matches(store: JiraStore, issue: SandboxIssue, expr: JqlExpr): boolean {
  if (expr.type === 'and') return expr.items.every((e) => matches(store, issue, e));
  if (expr.type === 'or') return expr.items.some((e) => matches(store, issue, e));
  if (expr.type === 'not') return !matches(store, issue, expr.expr);
  const field = canonical(expr.field);
  const custom = customFieldOf(field);
  if (custom !== null) return compareNumber(custom === ESTIMATE_FIELD ? issue.estimate : (issue.customFields?.[custom] ?? null), expr);
  if (field === 'created' || field === 'updated') return compareDate(field === 'created' ? issue.created : issue.updated, expr, store.now());
  if (field === 'resolved') return issue.resolved === null ? expr.op === 'is' : compareDate(issue.resolved, expr, store.now());
  if (field === 'summary' || field === 'text') {
    const text = field === 'summary' ? issue.summary : `${issue.summary} ${adfPlainText(issue.description)}`;
    return textMatch(text, expr);
  }
  const have = fieldValues(store, issue, field).map((v) => v.toLowerCase());
  const wanted = expr.values.map((v) => (field === 'statuscategory' ? (categoryKey(v) ?? v) : v.toLowerCase()));
  const hit = wanted.some((v) => have.includes(v));
  switch (expr.op) {
    case 'is':
      return have.length === 0;
    case 'is not':
      return have.length > 0;
    case '=':
    case 'in':
      return expr.empty ? have.length === 0 : hit;
    case '!=':
    case 'not in':
      // As in Jira, a negated clause never matches an issue whose field is empty.
      return expr.empty ? have.length > 0 : have.length > 0 && !hit;
    default:
      throw jqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
  }
}

/** `cf[10050]` → customfield_10050; null for any other field. */
function customFieldOf(field: string): string | null {
  const match = /^cf\[(\d+)\]$/.exec(field);
  return match ? `customfield_${match[1]}` : null;
}

function compareNumber(value: number | null, expr: Extract<JqlExpr, { type: 'clause' }>): boolean {
  if (expr.op === 'is' || expr.op === 'is not') return (value === null) === (expr.op === 'is');
  // As in Jira, a comparison never matches an issue whose field is empty.
  if (value === null) return false;
  const wanted = Number(expr.values[0]);
  if (Number.isNaN(wanted)) throw jqlError(`The value '${expr.values[0] ?? ''}' is not a number for field '${expr.field}'.`);
  switch (expr.op) {
    case '=':
      return value === wanted;
    case '!=':
      return value !== wanted;
    case '>':
      return value > wanted;
    case '>=':
      return value >= wanted;
    case '<':
      return value < wanted;
    case '<=':
      return value <= wanted;
    default:
      throw jqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
  }
}

function textMatch(text: string, expr: Extract<JqlExpr, { type: 'clause' }>): boolean {
  if (expr.op !== '~' && expr.op !== '!~') throw jqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
  const words = (expr.values[0] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const hay = text.toLowerCase();
  const found = words.every((w) => hay.includes(w.replace(/\*$/, '')));
  return expr.op === '~' ? found : !found;
}

function compareDate(at: number, expr: Extract<JqlExpr, { type: 'clause' }>, now: number): boolean {
  if (expr.op === 'is' || expr.op === 'is not') return expr.op === 'is not';
  const raw = expr.values[0] ?? '';
  const relative = /^([-+]?\d+)([wdhm])$/.exec(raw);
  const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
  const when = relative
    ? now + Number(relative[1]) * unit[relative[2] as keyof typeof unit]
    : Date.parse(raw.replace(/\//g, '-').replace(' ', 'T'));
  if (Number.isNaN(when)) throw jqlError(`Date value '${raw}' for field '${expr.field}' is invalid.`);
  switch (expr.op) {
    case '>':
      return at > when;
    case '>=':
      return at >= when;
    case '<':
      return at < when;
    case '<=':
      return at <= when;
    case '=':
      return at === when;
    case '!=':
      return at !== when;
    default:
      throw jqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
  }
}

function compare(store: JiraStore, a: SandboxIssue, b: SandboxIssue, query: JqlQuery): number {
  // Without ORDER BY the sandbox answers in creation order; Jira's default order is not documented.
  for (const { field, direction } of query.orderBy) {
    const sign = direction === 'desc' ? -1 : 1;
    const result = compareBy(store, canonical(field), a, b);
    if (result !== 0) return sign * result;
  }
  return Number(a.id) - Number(b.id);
}

function compareBy(store: JiraStore, field: string, a: SandboxIssue, b: SandboxIssue): number {
  switch (field) {
    case 'key':
    case 'project': {
      const byProject = store.projectOf(a).key.localeCompare(store.projectOf(b).key);
      if (byProject !== 0 || field === 'project') return byProject;
      return Number(a.key.split('-')[1]) - Number(b.key.split('-')[1]);
    }
    case 'created':
      return a.created - b.created;
    case 'updated':
      return a.updated - b.updated;
    case 'summary':
      return a.summary.localeCompare(b.summary);
    default:
      return Number(a.id) - Number(b.id);
  }
}
