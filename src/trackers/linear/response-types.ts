// The shapes of the answers to documents.ts, as far as the adapter reads them.

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface InitiativeNode {
  id: string;
  name: string;
  parentInitiative?: InitiativeNode | null;
}

export interface ProjectNode {
  id: string;
  name: string;
  initiatives: { nodes: InitiativeNode[] };
}

export interface AncestorNode {
  id: string;
  identifier: string;
  title: string;
  labels: { nodes: Array<{ name: string }> };
  project: ProjectNode | null;
  parent?: AncestorNode | null;
}

export interface CommentNode {
  id: string;
  body: string;
}

export interface IssueData {
  viewer: { id: string; name: string };
  issue: {
    id: string;
    identifier: string;
    title: string;
    description: string | null;
    url: string;
    createdAt: string;
    completedAt?: string | null;
    canceledAt?: string | null;
    sortOrder?: number;
    estimate: number | null;
    team: { id: string; key: string };
    state: { name: string; type: string };
    labels: { nodes: Array<{ name: string }> };
    project: ProjectNode | null;
    comments: { nodes: CommentNode[] };
    parent: AncestorNode | null;
  };
}

export interface SweepParentNode {
  id: string;
  identifier: string;
  title: string;
  labelIds: string[];
  project: { id: string } | null;
  parent?: SweepParentNode | null;
}

export interface SweepIssueNode {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  url: string;
  createdAt: string;
  /** Asked for by the done-issues page only. */
  completedAt?: string | null;
  canceledAt?: string | null;
  /** Asked for by the open-issues page (the cut line's order). */
  sortOrder?: number;
  estimate: number | null;
  labelIds: string[];
  team: { id: string; key: string };
  state: { name: string; type: string };
  project: { id: string } | null;
  comments: { nodes: CommentNode[] };
  parent: SweepParentNode | null;
}

export interface LabelNode {
  id: string;
  name: string;
  team: { key: string } | null;
}

export interface ProjectIdsNode {
  id: string;
  name: string;
  initiatives: { nodes: Array<{ id: string }> };
}

export interface InitiativeIdsNode {
  id: string;
  name: string;
  parentInitiative: { id: string } | null;
}

/** An entry of an issue's history (ISSUE_LABEL_HISTORY). */
export interface HistoryNode {
  createdAt: string;
  actorId: string | null;
  actor: { id: string; name: string } | null;
  botActor: { id: string | null; name: string | null } | null;
  removedLabelIds: string[] | null;
  removedLabels: Array<{ id: string; name: string }> | null;
}
