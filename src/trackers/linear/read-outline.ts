// The Linear workspace's outline: every initiative (with its parent, status and
// target date), every project (with its initiatives) and every label, in pages.
// Three independent paged reads run side by side: a workspace of 500
// initiatives and 5,000 projects is 2 + 50 + a few requests, far inside
// Linear's 5,000 requests and 3,000,000 complexity points an hour.
import type { OutlineNode, TrackerOutline } from '../../strategy/outline.js';
import { LABELS_PAGE, OUTLINE_INITIATIVES_PAGE, PROJECTS_PAGE } from './documents.js';
import type { LabelNode, Page, ProjectIdsNode } from './response-types.js';
import type { RequestFn } from './workspace-cache.js';

interface OutlineInitiativeNode {
  id: string;
  name: string;
  description?: string | null;
  status?: string | null;
  targetDate?: string | null;
  createdAt?: string | null;
  parentInitiative?: { id: string } | null;
}

async function readAll<N>(request: RequestFn, document: string): Promise<N[]> {
  const out: N[] = [];
  let after: string | null = null;
  do {
    const data: Record<string, Page<N>> = await request(document, { after });
    const page = Object.values(data)[0];
    if (!page) break;
    out.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return out;
}

export async function readLinearOutline(request: RequestFn): Promise<TrackerOutline> {
  const [initiatives, projects, labels] = await Promise.all([
    readAll<OutlineInitiativeNode>(request, OUTLINE_INITIATIVES_PAGE),
    readAll<ProjectIdsNode>(request, PROJECTS_PAGE),
    readAll<LabelNode>(request, LABELS_PAGE),
  ]);
  const projectsOf = new Map<string, string[]>();
  for (const p of projects) {
    for (const i of p.initiatives.nodes) projectsOf.set(i.id, [...(projectsOf.get(i.id) ?? []), p.name]);
  }
  const nodes: OutlineNode[] = initiatives.map((i) => ({
    id: i.id,
    name: i.name,
    parentId: i.parentInitiative?.id ?? null,
    kind: 'initiative',
    ...(i.description ? { description: i.description } : {}),
    ...(i.status ? { status: i.status } : {}),
    ...(i.createdAt ? { startDate: i.createdAt.slice(0, 10) } : {}),
    ...(i.targetDate ? { targetDate: i.targetDate.slice(0, 10) } : {}),
    projects: projectsOf.get(i.id) ?? [],
  }));
  return {
    tracker: 'linear',
    nodes,
    projects: projects.map((p) => ({ id: p.id, name: p.name })),
    labels: [...new Set(labels.map((l) => l.name))],
    issueKeys: [],
  };
}
