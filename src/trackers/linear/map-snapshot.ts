// Linear's answers → the tracker-neutral TicketSnapshot the lineage engine reads.
import { LABELS_PER_ANCESTOR, LABELS_PER_TICKET } from '../../strategy/limits.js';
import type { AncestorTicket, InitiativeRef, ProjectRef, TicketSnapshot } from '../../strategy/types.js';
import { fingerprintIn } from '../../reconcile/comment-doc.js';
import type { BotComment } from '../tracker.js';
import type {
  AncestorNode, CommentNode, InitiativeNode, IssueData, ProjectNode, SweepIssueNode, SweepParentNode,
} from './response-types.js';

/** Completed and canceled issues are closed: counted, never enforced. */
export function isClosedStateType(type: string): boolean {
  return type === 'completed' || type === 'canceled';
}

/** When and how a closed issue was done, as Linear dates it (the later of the two when both are set). */
function doneOf(node: { completedAt?: string | null; canceledAt?: string | null }, closed: boolean): Pick<TicketSnapshot, 'doneAt' | 'doneKind'> {
  if (!closed) return {};
  const { completedAt, canceledAt } = node;
  if (canceledAt && (!completedAt || Date.parse(canceledAt) > Date.parse(completedAt))) return { doneAt: canceledAt, doneKind: 'canceled' };
  return completedAt ? { doneAt: completedAt, doneKind: 'completed' } : {};
}

function initiativeRef(node: InitiativeNode): InitiativeRef {
  return { id: node.id, name: node.name, parent: node.parentInitiative ? initiativeRef(node.parentInitiative) : null };
}

export function projectRef(node: ProjectNode | null): ProjectRef | null {
  return node ? { id: node.id, name: node.name, initiatives: node.initiatives.nodes.map(initiativeRef) } : null;
}

/**
 * Cascade's comment: the first that carries the marker. The author is not checked
 * here: both documents ask Linear only for the bot's own comments (`isMe`).
 */
export function botCommentOf(nodes: CommentNode[]): BotComment | null {
  for (const node of nodes) {
    const fingerprint = fingerprintIn(node.body);
    if (fingerprint !== null) return { id: node.id, body: node.body, fingerprint };
  }
  return null;
}

function ancestors(first: AncestorNode | null): AncestorTicket[] {
  const out: AncestorTicket[] = [];
  for (let node = first; node; node = node.parent ?? null) {
    out.push({
      id: node.id, key: node.identifier, title: node.title,
      labels: node.labels.nodes.map((l) => l.name), project: projectRef(node.project),
    });
  }
  return out;
}

export function snapshotFromIssue(issue: IssueData['issue']): TicketSnapshot {
  return {
    tracker: 'linear',
    id: issue.id,
    key: issue.identifier,
    title: issue.title,
    ...(issue.description ? { description: issue.description } : {}),
    url: issue.url,
    labels: issue.labels.nodes.map((l) => l.name),
    state: isClosedStateType(issue.state.type) ? 'closed' : 'open',
    stateName: issue.state.name,
    team: issue.team.key,
    teamId: issue.team.id,
    createdAt: issue.createdAt,
    estimate: issue.estimate,
    project: projectRef(issue.project),
    parents: ancestors(issue.parent),
    ...doneOf(issue, isClosedStateType(issue.state.type)),
    ...(typeof issue.sortOrder === 'number' ? { rank: issue.sortOrder } : {}),
  };
}

/** Label and project names come from the workspace lookups; ids stand in for labels Linear no longer lists. */
export interface SweepLookups {
  labelNames: Map<string, string>;
  projects: Map<string, ProjectRef>;
}

export function sweepParents(node: SweepIssueNode): SweepParentNode[] {
  const out: SweepParentNode[] = [];
  for (let parent = node.parent; parent; parent = parent.parent ?? null) out.push(parent);
  return out;
}

export function snapshotFromSweep(node: SweepIssueNode, lookups: SweepLookups): TicketSnapshot {
  // As many labels as the check's document reads, so a check and a sweep see the same ticket.
  const names = (ids: string[], max: number) => ids.slice(0, max).map((id) => lookups.labelNames.get(id) ?? id);
  const project = (ref: { id: string } | null) => (ref ? lookups.projects.get(ref.id) ?? null : null);
  return {
    tracker: 'linear',
    id: node.id,
    key: node.identifier,
    title: node.title,
    ...(node.description ? { description: node.description } : {}),
    url: node.url,
    labels: names(node.labelIds, LABELS_PER_TICKET),
    state: isClosedStateType(node.state.type) ? 'closed' : 'open',
    stateName: node.state.name,
    team: node.team.key,
    teamId: node.team.id,
    createdAt: node.createdAt,
    estimate: node.estimate,
    project: project(node.project),
    parents: sweepParents(node).map((p) => ({
      id: p.id, key: p.identifier, title: p.title, labels: names(p.labelIds, LABELS_PER_ANCESTOR), project: project(p.project),
    })),
    ...doneOf(node, isClosedStateType(node.state.type)),
    ...(typeof node.sortOrder === 'number' ? { rank: node.sortOrder } : {}),
  };
}
