// Linear's part of the config, seen through its outline: the `match.linear`
// entries checked against the workspace (initiatives, projects, labels), and a
// starting tree from its initiatives and sub-initiatives, their projects named
// in comments, target dates as periods.
import type { TrackerOutlineParts } from '../descriptor.js';

/** Projects named in a node's comment at most (the rest are counted). */
const MAX_PROJECTS_NAMED = 12;

export const linearOutline: TrackerOutlineParts = {
  matchChecks: [
    { key: 'initiatives', kind: 'initiative', what: 'Linear initiative', known: (o) => ({ known: [...o.nodes.map((n) => n.name), ...o.nodes.map((n) => n.id)], names: o.nodes.map((n) => n.name) }) },
    { key: 'projects', kind: 'project', what: 'Linear project', known: (o) => ({ known: [...o.projects.map((p) => p.name), ...o.projects.map((p) => p.id)], names: o.projects.map((p) => p.name) }) },
    { key: 'labels', kind: 'label', what: 'Linear label', known: (o) => ({ known: o.labels, names: o.labels }) },
  ],
  import: {
    name: 'Linear',
    madeFrom: (outline) => ` from initiatives (${outline.projects.length} projects in the workspace)`,
    empty: 'the Linear workspace has no initiatives to import: create initiatives (Linear → Initiatives) or write the tree by hand from config/strategy.example.yaml',
    retired: (n) => n.status === 'Completed' || n.status === 'Canceled',
    // A match entry belongs to one node: a name two initiatives share is matched by id instead.
    match: (n, byName) => ({ linear: { initiatives: [byName ? n.name.trim() : n.id] } }),
    comment(n) {
      const projects = n.projects ?? [];
      return projects.length
        ? ` projects: ${projects.slice(0, MAX_PROJECTS_NAMED).join(', ')}${projects.length > MAX_PROJECTS_NAMED ? ` and ${projects.length - MAX_PROJECTS_NAMED} more` : ''}`
        : ' no projects yet';
    },
  },
};
