// Every GraphQL document Cascade sends to Linear, in one place so that a unit
// test validates them all against Linear's published schema. Each one asks for
// exactly what the adapter maps, with `first:` on every connection: Linear
// scores a connection's children times `first` (default 50), so an unbounded
// connection in a nested selection is what makes a query expensive.
//
// Complexity estimates (0.1/field, 1/object, connection children × first; the
// unit test recomputes them from these documents) are noted on each constant.
// How deep and how wide they read comes from strategy/limits.ts, shared with the
// sweep's lookups and the lineage engine.
import { INITIATIVE_DEPTH, INITIATIVES_PER_PROJECT, LABELS_PER_ANCESTOR, LABELS_PER_TICKET, PARENT_DEPTH } from '../../strategy/limits.js';

export { PARENT_DEPTH };

/** Sweep page size: 100 issues with their parent chains stays far below Linear's 10,000-point cap. */
export const SWEEP_PAGE_SIZE = 100;
/** Page size for the id-only listings behind fan-out. */
export const IDS_PAGE_SIZE = 100;
/** Linear's largest page; labels and initiatives are cheap rows. */
export const LOOKUP_PAGE_SIZE = 250;
/** Projects carry their initiative ids, so a smaller page keeps the score modest. */
export const PROJECTS_PAGE_SIZE = 100;

/** Nest `inner` inside itself `depth` times under `field`, e.g. parent { … parent { … } }. */
function nested(field: string, inner: string, depth: number): string {
  return depth <= 0 ? '' : `${field} { ${inner} ${nested(field, inner, depth - 1)} }`;
}

const INITIATIVE_FIELDS = `
fragment CascadeInitiative on Initiative {
  id
  name
  ${nested('parentInitiative', 'id name', INITIATIVE_DEPTH - 1)}
}`;

const PROJECT_FIELDS = `
fragment CascadeProject on Project {
  id
  name
  initiatives(first: ${INITIATIVES_PER_PROJECT}) { nodes { ...CascadeInitiative } }
}`;

const ANCESTOR_FIELDS = `
fragment CascadeAncestor on Issue {
  id
  identifier
  title
  labels(first: ${LABELS_PER_ANCESTOR}) { nodes { name } }
  project { ...CascadeProject }
}`;

/**
 * One ticket with its whole ancestry and Cascade's own comment, in one request.
 * The comment filter (`isMe` + the marker) leaves out people's comments, and
 * `viewer` comes along so identity() needs no request of its own.
 * Variables: $id (UUID or identifier), $marker (the marker prefix). ≈ 375 points.
 */
export const ISSUE_WITH_ANCESTRY = `
query CascadeIssue($id: String!, $marker: String!) {
  viewer { id name }
  issue(id: $id) {
    id
    identifier
    title
    description
    url
    createdAt
    completedAt
    canceledAt
    sortOrder
    estimate
    team { id key }
    state { name type }
    labels(first: ${LABELS_PER_TICKET}) { nodes { name } }
    project { ...CascadeProject }
    comments(first: 5, filter: { user: { isMe: { eq: true } }, body: { contains: $marker } }) {
      nodes { id body user { id } }
    }
    ${nested('parent', '...CascadeAncestor', PARENT_DEPTH)}
  }
}
${ANCESTOR_FIELDS}
${PROJECT_FIELDS}
${INITIATIVE_FIELDS}
`;

/** What a page of issues reads of each (the sweep's and the completion backfill's): scalars, ids and the parent chain. */
const PAGE_ISSUE_FIELDS = `id identifier title description url createdAt estimate labelIds team { id key } state { name type } project { id }
      ${nested('parent', 'id identifier title labelIds project { id }', PARENT_DEPTH)}`;

/**
 * A page of open issues for the sweep: scalars and ids only (labelIds,
 * project { id }, the parent chain's ids and labelIds); names of labels and the
 * projects' initiatives come from the lookups below, loaded once per sweep.
 * Variables: $filter, $after, $marker. ≈ 1,900 points for 100 issues.
 */
export const OPEN_ISSUES_PAGE = `
query CascadeOpenIssues($filter: IssueFilter!, $after: String, $marker: String!) {
  issues(first: ${SWEEP_PAGE_SIZE}, after: $after, filter: $filter) {
    nodes {
      ${PAGE_ISSUE_FIELDS}
      sortOrder
      comments(first: 1, filter: { user: { isMe: { eq: true } }, body: { contains: $marker } }) {
        nodes { id body }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * A page of issues done (completed or canceled) since a date, for the 12-week
 * completion backfill: the sweep page's fields and parent chain with the done
 * dates, without Cascade's comment (nothing is written on finished work).
 * Variables: $filter, $after. ≈ 1,790 points for 100 issues.
 */
export const DONE_ISSUES_PAGE = `
query CascadeDoneIssues($filter: IssueFilter!, $after: String) {
  issues(first: ${SWEEP_PAGE_SIZE}, after: $after, filter: $filter) {
    nodes {
      ${PAGE_ISSUE_FIELDS}
      completedAt
      canceledAt
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Every customer request with its customer and what it is on. ≈ 1,450 points. */
export const CUSTOMER_NEEDS_PAGE = `
query CascadeCustomerNeeds($after: String) {
  customerNeeds(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id priority issue { id } project { id } customer { id name revenue tier { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Projects with the health of their latest update. ≈ 325 points. */
export const PROJECT_HEALTH_PAGE = `
query CascadeProjectHealth($after: String) {
  projects(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id name health }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Initiatives with the health of their latest update. ≈ 325 points. */
export const INITIATIVE_HEALTH_PAGE = `
query CascadeInitiativeHealth($after: String) {
  initiatives(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id name health }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Ids of the issues matching a filter (fan-out under a container). ≈ 110 points. */
export const ISSUE_IDS_PAGE = `
query CascadeIssueIds($filter: IssueFilter!, $after: String) {
  issues(first: ${IDS_PAGE_SIZE}, after: $after, filter: $filter) {
    nodes { id }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Every label, workspace and team, for id→name and name→id. ≈ 575 points. */
export const LABELS_PAGE = `
query CascadeLabels($after: String) {
  issueLabels(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id name team { key } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Every project with the ids of its initiatives. ≈ 1,220 points. */
export const PROJECTS_PAGE = `
query CascadeProjects($after: String) {
  projects(first: ${PROJECTS_PAGE_SIZE}, after: $after) {
    nodes { id name initiatives(first: ${INITIATIVES_PER_PROJECT}) { nodes { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Every initiative with its parent's id. ≈ 575 points. */
export const INITIATIVES_PAGE = `
query CascadeInitiatives($after: String) {
  initiatives(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id name parentInitiative { id } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Every initiative with what a starting config needs (import, config check). ≈ 575 points. */
export const OUTLINE_INITIATIVES_PAGE = `
query CascadeOutlineInitiatives($after: String) {
  initiatives(first: ${LOOKUP_PAGE_SIZE}, after: $after) {
    nodes { id name description status targetDate createdAt parentInitiative { id } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Entries of an issue's history read to find who took a label off. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * Who changed an issue's labels: its latest history entries with the actor
 * (a user, or the bot of an integration). Sent only when Cascade's label is
 * missing and no webhook named a person who removed it. Linear orders history
 * by createdAt (its docs do not say which way, UNCONFIRMED): the adapter sorts
 * the entries itself. Variables: $id. ≈ 260 points.
 */
export const ISSUE_LABEL_HISTORY = `
query CascadeLabelHistory($id: String!) {
  issue(id: $id) {
    history(first: ${HISTORY_PAGE_SIZE}) {
      nodes { createdAt actorId actor { id name } botActor { id name } removedLabelIds removedLabels { id name } }
    }
  }
}
`;

/**
 * May this user edit the issue (rules.exemptions.who: editors)? A member who is
 * not a guest may edit any issue their workspace shows them; a guest only in
 * teams they belong to, so the team's members are filtered to this one user.
 * ~4 points.
 */
export const USER_MAY_EDIT = `
query CascadeUserMayEdit($userId: String!, $memberId: ID!, $issueId: String!) {
  user(id: $userId) { id guest }
  issue(id: $issueId) { id team { id members(first: 1, filter: { id: { eq: $memberId } }) { nodes { id } } } }
}`;

/** The bot's own account. ≈ 1 point. */
export const VIEWER = `
query CascadeViewer {
  viewer { id name }
}
`;

/**
 * Installed as an app: who the new token writes as (the workspace's app user,
 * for actor=app) and which workspace it belongs to. ≈ 1 point.
 */
export const APP_WORKSPACE = `
query CascadeAppWorkspace {
  viewer { id name }
  organization { id name urlKey }
}
`;

/** Add one label; never the whole set (a person may be editing labels too). Mutations score 1–3 points. */
export const ADD_LABEL = `
mutation CascadeAddLabel($id: String!, $labelId: String!) {
  issueAddLabel(id: $id, labelId: $labelId) { success }
}
`;

export const REMOVE_LABEL = `
mutation CascadeRemoveLabel($id: String!, $labelId: String!) {
  issueRemoveLabel(id: $id, labelId: $labelId) { success }
}
`;

/** A workspace label (no teamId), so one label serves every team. */
export const CREATE_LABEL = `
mutation CascadeCreateLabel($name: String!, $color: String) {
  issueLabelCreate(input: { name: $name, color: $color }) {
    success
    issueLabel { id name team { key } }
  }
}
`;

/** doNotSubscribeToIssue: the bot has no use for notifications about the issue. */
export const CREATE_COMMENT = `
mutation CascadeCreateComment($issueId: String!, $body: String!) {
  commentCreate(input: { issueId: $issueId, body: $body, doNotSubscribeToIssue: true }) {
    success
    comment { id }
  }
}
`;

export const UPDATE_COMMENT = `
mutation CascadeUpdateComment($id: String!, $body: String!) {
  commentUpdate(id: $id, input: { body: $body }) {
    success
    comment { id }
  }
}
`;

export const DELETE_COMMENT = `
mutation CascadeDeleteComment($id: String!) {
  commentDelete(id: $id) { success }
}
`;

/**
 * An initiative's projects with their teams: a suggested initiative is taken
 * as its first project in the ticket's team. Read only for that. Variables: $id.
 */
export const INITIATIVE_PROJECTS = `
query CascadeInitiativeProjects($id: String!) {
  initiative(id: $id) {
    projects(first: 50) { nodes { id name teams(first: 10) { nodes { key } } } }
  }
}
`;

/** `/cascade link`: the ticket's project (`issueUpdate` with `projectId`). */
export const MOVE_TO_PROJECT = `
mutation CascadeMoveToProject($id: String!, $projectId: String!) {
  issueUpdate(id: $id, input: { projectId: $projectId }) { success }
}
`;

/** `/cascade link` to a parent issue (`issueUpdate` with `parentId`). */
export const MOVE_UNDER_PARENT = `
mutation CascadeMoveUnderParent($id: String!, $parentId: String!) {
  issueUpdate(id: $id, input: { parentId: $parentId }) { success }
}
`;

/** Every document, by name, for the schema validation test. */
export const ALL_DOCUMENTS: Record<string, string> = {
  ISSUE_WITH_ANCESTRY, OPEN_ISSUES_PAGE, DONE_ISSUES_PAGE, CUSTOMER_NEEDS_PAGE, PROJECT_HEALTH_PAGE, INITIATIVE_HEALTH_PAGE, ISSUE_IDS_PAGE, LABELS_PAGE, PROJECTS_PAGE, INITIATIVES_PAGE, OUTLINE_INITIATIVES_PAGE, VIEWER, APP_WORKSPACE, USER_MAY_EDIT, ISSUE_LABEL_HISTORY,
  ADD_LABEL, REMOVE_LABEL, CREATE_LABEL, CREATE_COMMENT, UPDATE_COMMENT, DELETE_COMMENT, MOVE_TO_PROJECT, MOVE_UNDER_PARENT, INITIATIVE_PROJECTS,
};
