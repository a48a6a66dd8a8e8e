// Small rules the store applies: which labels Jira accepts, how a change reads
// in the changelog, how Jira writes dates.
import { adfPlainText } from './adf.js';
import type { ChangeItem, SandboxIssue } from './types.js';
import type { JiraStore } from './store.js';

/** Why Jira would refuse this label, or null. Jira labels are single words. */
export function labelProblem(label: string): string | null {
  if (typeof label !== 'string' || label === '') return 'Labels cannot be empty.';
  if (/\s/.test(label)) return `The label '${label}' contains spaces which is invalid.`;
  if (label.length > 255) return 'The label must not exceed 255 characters.';
  return null;
}

/** Jira's timestamp format: 2026-07-01T10:00:00.000+0000. */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The changelog items between two versions of an issue, named as Jira names them. */
export function issueChangeItems(store: JiraStore, before: SandboxIssue, after: SandboxIssue): ChangeItem[] {
  const items: ChangeItem[] = [];
  const push = (field: string, fieldId: string, from: string | null, fromString: string | null, to: string | null, toString: string | null): void => {
    items.push({ field, fieldtype: 'jira', fieldId, from, fromString, to, toString });
  };
  if (before.summary !== after.summary) push('summary', 'summary', null, before.summary, null, after.summary);
  if (JSON.stringify(before.description) !== JSON.stringify(after.description)) {
    push('description', 'description', null, adfPlainText(before.description), null, adfPlainText(after.description));
  }
  if (before.labels.join(' ') !== after.labels.join(' ')) {
    push('labels', 'labels', null, before.labels.join(' '), null, after.labels.join(' '));
  }
  if (before.issueTypeId !== after.issueTypeId) {
    const name = (id: string): string => store.issueTypes.get(id)?.name ?? id;
    push('issuetype', 'issuetype', before.issueTypeId, name(before.issueTypeId), after.issueTypeId, name(after.issueTypeId));
  }
  if (before.statusId !== after.statusId) {
    const name = (id: string): string => store.statuses.get(id)?.name ?? id;
    push('status', 'status', before.statusId, name(before.statusId), after.statusId, name(after.statusId));
  }
  if (before.parentId !== after.parentId) {
    // Jira Cloud records a parent change as "IssueParentAssociation" with the ids in from/to.
    const key = (id: string | null): string | null => (id === null ? null : (store.issue(id)?.key ?? id));
    push('IssueParentAssociation', 'parent', before.parentId, key(before.parentId), after.parentId, key(after.parentId));
  }
  if (before.estimate !== after.estimate) {
    items.push({
      field: 'Story Points',
      fieldtype: 'custom',
      fieldId: 'customfield_10016',
      from: null,
      fromString: before.estimate === null ? null : String(before.estimate),
      to: null,
      toString: after.estimate === null ? null : String(after.estimate),
    });
  }
  return items;
}
