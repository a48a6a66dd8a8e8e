// Who last took a label off a Jira issue, from its changelog (REST v3, oldest
// first, 100 entries a page): the first page, and the last one when there are
// more, so the newest removal is read in one request, or two on a long history.
import type { LabelRemoval } from '../tracker.js';
import type { ChangelogPage, JiraApi, JiraChangelog } from './jira-api.js';

const PAGE = 100;

export async function latestLabelRemoval(api: JiraApi, key: string, label: string): Promise<LabelRemoval | null> {
  const first = await api.changelog(key, 0);
  const total = first.total ?? 0;
  const last: ChangelogPage = first.isLast === false && total > PAGE ? await api.changelog(key, total - PAGE) : first;
  const entries = [...(first === last ? [] : (first.values ?? [])), ...(last.values ?? [])];
  const removal = entries.filter((entry) => takesOff(entry, label)).at(-1);
  if (!removal) return null;
  const at = removal.created ? new Date(removal.created) : null;
  return {
    by: removal.author?.accountId ?? null,
    byName: removal.author?.displayName ?? null,
    at: at && !Number.isNaN(at.getTime()) ? at.toISOString() : new Date(0).toISOString(),
  };
}

/** Jira writes a labels change as the whole set before and after, space-separated. */
function takesOff(entry: JiraChangelog, label: string): boolean {
  return (entry.items ?? []).some((item) => {
    if ((item.fieldId ?? item.field ?? '').toLowerCase() !== 'labels') return false;
    const before = (item.fromString ?? '').split(' ');
    const after = (item.toString ?? '').split(' ');
    return before.includes(label) && !after.includes(label);
  });
}
