// Builds the JQL the adapter sends. Values are always quoted, so a project key
// or issue key can never change the shape of a query.

export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function jqlList(values: string[]): string {
  return `(${values.map(jqlString).join(', ')})`;
}

/** Open issues in the given projects; all projects when the list is empty. */
export function openIssuesJql(projects: string[]): string {
  // The enhanced search refuses an unbounded query (400 "Unbounded JQL queries are not
  // allowed here"): the status clause is the restriction when no project is named.
  const scope = projects.length > 0 ? `project in ${jqlList(projects)} AND ` : '';
  return `${scope}statusCategory != Done ORDER BY key ASC`;
}

/**
 * Issues resolved since a day (YYYY-MM-DD): the completion backfill. A fixed
 * date rather than `-12w` so that every page of one listing runs the same JQL
 * (a page token names its query); Jira reads the day in the account's zone,
 * which moves the edge by hours at most.
 */
export function doneIssuesJql(projects: string[], sinceDay: string): string {
  const scope = projects.length > 0 ? `project in ${jqlList(projects)} AND ` : '';
  return `${scope}statusCategory = Done AND resolved >= ${jqlString(sinceDay)} ORDER BY key ASC`;
}

/** Issues whose number custom field (customfield_NNNNN, as cf[NNNNN]) is above zero. */
export function fieldAboveZeroJql(projects: string[], field: string): string {
  const id = /^customfield_(\d+)$/.exec(field)?.[1];
  if (!id) throw new Error(`not a Jira custom field id: ${field}`);
  const scope = projects.length > 0 ? `project in ${jqlList(projects)} AND ` : '';
  return `${scope}cf[${id}] > 0 ORDER BY key ASC`;
}

export function keysJql(keys: string[]): string {
  return `key in ${jqlList(keys)}`;
}

export function childrenJql(parents: string[]): string {
  return parents.length === 1 ? `parent = ${jqlString(parents[0] ?? '')} ORDER BY key ASC` : `parent in ${jqlList(parents)} ORDER BY key ASC`;
}

/** Open issues of the given types (epics and above); closed ones rarely still hold open work. */
export function typesJql(typeIds: string[]): string {
  return `issuetype in ${jqlList(typeIds)} AND statusCategory != Done ORDER BY key ASC`;
}
