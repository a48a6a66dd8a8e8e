// The issues below a Jira issue, for fan-out when an epic or initiative
// changes: `parent = KEY`, then `parent in (…)` for the children that can have
// children of their own, level by level. Sub-tasks arrive through their
// story's `subtasks` field, so a story level costs no extra query.
import type { Page } from '../tracker.js';
import { PermanentTrackerError } from '../tracker.js';
import { canHaveChildren, type JiraIssue } from './issue-mapping.js';
import type { JiraApi } from './jira-api.js';
import { childrenJql } from './jql.js';

/** Parents per `parent in (…)` query, to keep the JQL well under Jira's length limits. */
const PARENTS_PER_QUERY = 50;
const FIELDS = ['issuetype', 'subtasks'];

interface Step {
  parents: string[];
  depth: number;
}

interface Cursor {
  steps: Step[];
  token?: string;
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(raw: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (Array.isArray(cursor.steps)) return cursor;
  } catch {
    // reported below
  }
  throw new PermanentTrackerError('listTicketsUnder: the cursor is not one this adapter issued');
}

/** Only epics and higher can have children found by a query; a story's sub-tasks are in `subtasks`. */
function isContainer(issue: JiraIssue): boolean {
  const level = issue.fields?.issuetype?.hierarchyLevel;
  return canHaveChildren(issue) && (level === undefined || level >= 1);
}

export async function listIssuesUnder(api: JiraApi, root: string, maxDepth: number, rawCursor?: string): Promise<Page<string>> {
  const cursor: Cursor = rawCursor ? decode(rawCursor) : { steps: [{ parents: [root], depth: 1 }] };
  const step = cursor.steps[0];
  if (!step) return { items: [] };
  let issues: JiraIssue[] = [];
  let token: string | undefined;
  try {
    const result = await api.search(childrenJql(step.parents), FIELDS, cursor.token);
    issues = result.issues ?? [];
    token = result.nextPageToken ?? undefined;
  } catch (err) {
    // A parent deleted since the event leaves nothing under it (Jira: "does not exist").
    if (!(err instanceof PermanentTrackerError && err.status === 400)) throw err;
  }
  const items: string[] = [];
  const containers: string[] = [];
  for (const issue of issues) {
    // Ids, as webhooks name tickets: one ticket, one de-duplicated check, whoever asks.
    items.push(issue.id ?? issue.key);
    for (const sub of issue.fields?.subtasks ?? []) if (sub.id ?? sub.key) items.push((sub.id ?? sub.key)!);
    if (isContainer(issue) && step.depth < maxDepth) containers.push(issue.key);
  }
  const steps = token ? [...cursor.steps] : cursor.steps.slice(1);
  for (let i = 0; i < containers.length; i += PARENTS_PER_QUERY) {
    const chunk = containers.slice(i, i + PARENTS_PER_QUERY);
    const last = steps[steps.length - 1];
    if (last && last !== step && last.depth === step.depth + 1 && last.parents.length + chunk.length <= PARENTS_PER_QUERY) {
      last.parents.push(...chunk);
    } else {
      steps.push({ parents: chunk, depth: step.depth + 1 });
    }
  }
  if (steps.length === 0) return { items };
  return { items, next: encode({ steps, ...(token ? { token } : {}) }) };
}
