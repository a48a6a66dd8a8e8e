// The Jira site's outline: open issues at the top hierarchy levels (issue types
// with hierarchyLevel ≥ 1: epics, initiatives and above) with their parents,
// every label, and, on request, which of some keys exist (GET issue each: a JQL
// `key in (…)` is a 400 as soon as one key does not exist). All paged.
import type { OutlineNode, OutlineOptions, TrackerOutline } from '../../strategy/outline.js';
import { parentKeyOf } from './issue-mapping.js';
import type { JiraApi } from './jira-api.js';
import { typesJql } from './jql.js';

/** Keys confirmed one request each at most (a config names a handful). */
const MAX_KEY_CHECKS = 200;

export async function readJiraOutline(api: JiraApi, options: OutlineOptions = {}): Promise<TrackerOutline> {
  const [nodes, labels] = await Promise.all([topIssues(api), allLabels(api)]);
  const known = new Set(nodes.map((n) => n.id.toUpperCase()));
  const asked = [...new Set((options.issueKeys ?? []).map((k) => k.trim().toUpperCase()))].filter((k) => !known.has(k)).slice(0, MAX_KEY_CHECKS);
  const found = await Promise.all(asked.map(async (key) => ((await api.getIssue(key, ['summary'])) ? key : null)));
  return { tracker: 'jira', nodes, projects: [], labels, issueKeys: found.filter((k): k is string => k !== null) };
}

async function topIssues(api: JiraApi): Promise<OutlineNode[]> {
  const types = (await api.issueTypes()).filter((t) => (t.hierarchyLevel ?? 0) >= 1);
  if (types.length === 0) return [];
  const levelOf = new Map(types.map((t) => [t.id, t.hierarchyLevel ?? 1]));
  const out: OutlineNode[] = [];
  let token: string | undefined;
  do {
    const page = await api.search(typesJql(types.map((t) => t.id)), ['summary', 'issuetype', 'parent', 'duedate'], token);
    for (const issue of page.issues ?? []) {
      const type = issue.fields?.issuetype;
      const due = issue.fields?.duedate;
      out.push({
        id: issue.key,
        name: issue.fields?.summary ?? issue.key,
        parentId: parentKeyOf(issue),
        kind: type?.name ?? 'Epic',
        level: type?.hierarchyLevel ?? (type?.id ? levelOf.get(type.id) : undefined) ?? 1,
        ...(typeof due === 'string' ? { targetDate: due.slice(0, 10) } : {}),
      });
    }
    token = page.nextPageToken ?? undefined;
  } while (token);
  return out;
}

async function allLabels(api: JiraApi): Promise<string[]> {
  const out: string[] = [];
  for (let startAt = 0; ; ) {
    const page = await api.labels(startAt);
    const values = page.values ?? [];
    out.push(...values);
    startAt += values.length;
    if (page.isLast !== false || values.length === 0) break;
  }
  return out;
}
