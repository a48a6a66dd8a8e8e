// The strategy tree flattened into arrays for the digest's single pass: a node
// is an index, its parent another index, so rolling a ticket up the tree is a
// walk over integers with no allocation.
import type { CascadeConfig, StrategyNode } from '../strategy/tree-schema.js';
import type { ObjectiveStatus } from './types.js';

export interface FlatNode {
  id: string;
  title: string;
  owner?: string;
  /** Index of the parent, -1 for a root. */
  parent: number;
  depth: number;
  level?: string;
  status: ObjectiveStatus;
  targetOfParent: number | null;
  targetAbsolute: number | null;
  /** Titles from the root down to the parent. */
  path: string[];
}

export interface FlatTree {
  nodes: FlatNode[];
  indexById: Map<string, number>;
  /** parent index per node, -1 for roots (typed for the hot loop). */
  parents: Int32Array;
}

interface Period {
  start: string;
  end: string;
}

/**
 * Flattens the tree depth first in config order. `today` is "YYYY-MM-DD" in the
 * digest's zone; periods are inclusive calendar dates and children inherit their
 * parent's period and retirement, as the lineage engine does.
 */
export function flattenTree(config: CascadeConfig, today: string): FlatTree {
  const nodes: FlatNode[] = [];
  const indexById = new Map<string, number>();
  const visit = (
    n: StrategyNode,
    parent: number,
    depth: number,
    inherited: { period: Period | undefined; retired: boolean; target: number | null; path: string[] },
  ): void => {
    // Ids are unique in a valid config; a duplicate would double count, so the first wins.
    if (indexById.has(n.id)) return;
    const period = n.period ?? inherited.period;
    const retired = inherited.retired || n.status === 'retired';
    let status: ObjectiveStatus = 'active';
    if (retired) status = 'retired';
    else if (period && period.end < today) status = 'ended';
    else if (period && period.start > today) status = 'upcoming';
    const own = n.target_share ?? null;
    const targetAbsolute = own === null ? null : parent === -1 ? own : inherited.target === null ? null : inherited.target * own;
    const index = nodes.length;
    nodes.push({
      id: n.id,
      title: n.title,
      ...(n.owner !== undefined ? { owner: n.owner } : {}),
      parent,
      depth,
      ...(config.levels?.[depth] !== undefined ? { level: config.levels[depth] } : {}),
      status,
      targetOfParent: own,
      targetAbsolute,
      path: inherited.path,
    });
    indexById.set(n.id, index);
    const childPath = [...inherited.path, n.title];
    for (const c of n.children ?? []) {
      visit(c, index, depth + 1, { period, retired, target: targetAbsolute, path: childPath });
    }
  };
  for (const root of config.objectives) visit(root, -1, 0, { period: undefined, retired: false, target: null, path: [] });
  const parents = new Int32Array(nodes.length);
  nodes.forEach((n, i) => (parents[i] = n.parent));
  return { nodes, indexById, parents };
}
