// Jira's part of the config, seen through its outline: the `match.jira`
// entries checked against the site (issue keys, labels), and a starting tree
// from the open issues at the top hierarchy levels (initiatives, then the epics
// under them), matching their keys.
import type { CascadeConfig, StrategyNode } from '../../strategy/tree-schema.js';
import type { TrackerOutlineParts } from '../descriptor.js';

/** Every `jira.issues` key in the config, for the outline to confirm. */
export function jiraKeysIn(config: CascadeConfig): string[] {
  const keys: string[] = [];
  const visit = (nodes: StrategyNode[]): void => {
    for (const n of nodes) {
      keys.push(...(n.match?.jira?.issues ?? []));
      if (n.children) visit(n.children);
    }
  };
  visit(config.objectives);
  return keys;
}

export const jiraOutline: TrackerOutlineParts = {
  matchChecks: [
    {
      key: 'issues',
      kind: 'issue',
      what: 'Jira issue',
      known: (o) => {
        const keys = [...o.nodes.map((n) => n.id), ...o.issueKeys];
        return { known: keys, names: keys };
      },
    },
    { key: 'labels', kind: 'label', what: 'Jira label', known: (o) => ({ known: o.labels, names: o.labels }) },
  ],
  readOptions: (config) => ({ issueKeys: jiraKeysIn(config) }),
  import: {
    name: 'Jira',
    madeFrom: () => ' from initiatives and epics',
    empty: 'the Jira site has no open epics or initiatives to import: write the tree by hand from config/strategy.example.yaml',
    retired: () => false,
    match: (n) => ({ jira: { issues: [n.id] } }),
    comment: (n) => ` ${n.kind} ${n.id}`,
  },
};
