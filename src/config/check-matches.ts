// The tree checked against the trackers: every match entry that names nothing
// in the tracker, with the closest existing name. Warnings, never errors: a
// name may be about to be created, and the save must not wait for it. Pure:
// the config and the trackers' outlines in, warnings out.
import type { CascadeConfig, StrategyNode } from '../strategy/tree-schema.js';
import type { TrackerOutline } from '../strategy/outline.js';
import { closestName } from '../strategy/closest-name.js';

export interface ConfigWarning {
  /** Where the entry is, as validation errors name it: objectives[0].match.linear.initiatives[1]. */
  path: string;
  tracker: 'linear' | 'jira';
  kind: 'initiative' | 'project' | 'label' | 'issue';
  value: string;
  closest: string | null;
  message: string;
}

const WHAT = { initiative: 'Linear initiative', project: 'Linear project', label: 'label', issue: 'Jira issue' } as const;

export function checkMatches(config: CascadeConfig, outlines: { linear?: TrackerOutline; jira?: TrackerOutline }): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const { linear, jira } = outlines;
  const lower = (values: string[]) => new Set(values.map((v) => v.trim().toLowerCase()));
  const linearSets = linear && {
    initiative: { known: lower([...linear.nodes.map((n) => n.name), ...linear.nodes.map((n) => n.id)]), names: linear.nodes.map((n) => n.name) },
    project: { known: lower([...linear.projects.map((p) => p.name), ...linear.projects.map((p) => p.id)]), names: linear.projects.map((p) => p.name) },
    label: { known: lower(linear.labels), names: linear.labels },
  };
  const jiraKeys = jira ? [...jira.nodes.map((n) => n.id), ...jira.issueKeys] : [];
  const jiraSets = jira && {
    issue: { known: lower(jiraKeys), names: jiraKeys },
    label: { known: lower(jira.labels), names: jira.labels },
  };
  const check = (path: string, tracker: 'linear' | 'jira', kind: ConfigWarning['kind'], values: string[] | undefined, set: { known: Set<string>; names: string[] } | undefined): void => {
    if (!set) return;
    (values ?? []).forEach((value, i) => {
      if (set.known.has(value.trim().toLowerCase())) return;
      const closest = closestName(value, set.names);
      const what = kind === 'label' ? `${tracker === 'linear' ? 'Linear' : 'Jira'} label` : WHAT[kind];
      out.push({
        path: `${path}[${i}]`, tracker, kind, value, closest,
        message: `${what} "${value}" does not exist${closest ? `; closest: "${closest}"` : ''}`,
      });
    });
  };
  const visit = (nodes: StrategyNode[], base: string): void => {
    nodes.forEach((node, i) => {
      const path = `${base}[${i}]`;
      const m = node.match;
      if (linearSets) {
        check(`${path}.match.linear.initiatives`, 'linear', 'initiative', m?.linear?.initiatives, linearSets.initiative);
        check(`${path}.match.linear.projects`, 'linear', 'project', m?.linear?.projects, linearSets.project);
        check(`${path}.match.linear.labels`, 'linear', 'label', m?.linear?.labels, linearSets.label);
      }
      if (jiraSets) {
        check(`${path}.match.jira.issues`, 'jira', 'issue', m?.jira?.issues, jiraSets.issue);
        check(`${path}.match.jira.labels`, 'jira', 'label', m?.jira?.labels, jiraSets.label);
      }
      if (node.children) visit(node.children, `${path}.children`);
    });
  };
  visit(config.objectives, 'objectives');
  return out;
}

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
