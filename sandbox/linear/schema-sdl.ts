// The subset of Linear's public GraphQL schema that the sandbox serves. Type,
// field and argument names and their nullability follow Linear's published
// schema (linear/linear packages/sdk/src/schema.graphql); only what Cascade's
// adapter and the test harness send is here, and every filter field listed is
// evaluated for real by filters.ts.
export const LINEAR_SANDBOX_SDL = /* GraphQL */ `
scalar DateTime
scalar TimelessDate
scalar DateTimeOrDuration

enum PaginationOrderBy { createdAt updatedAt }
enum ProjectStatusType { backlog canceled completed paused planned started }
enum InitiativeStatus { Active Canceled Completed Planned Proposed }
enum ProjectUpdateHealthType { atRisk offTrack onTrack }
enum InitiativeUpdateHealthType { atRisk offTrack onTrack }

type CustomerTier { id: ID! name: String! displayName: String! position: Float! }
type Customer { id: ID! name: String! revenue: Int tier: CustomerTier }
type CustomerNeed { id: ID! priority: Float! customer: Customer issue: Issue project: Project createdAt: DateTime! }
type CustomerNeedConnection { nodes: [CustomerNeed!]! pageInfo: PageInfo! }

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type Organization { id: ID! name: String! urlKey: String! }
type Team { id: ID! key: String! name: String! members(after: String, filter: UserFilter, first: Int, includeArchived: Boolean): UserConnection! }
type User { id: ID! name: String! displayName: String! email: String! app: Boolean! guest: Boolean! isMe: Boolean! }
type UserConnection { nodes: [User!]! pageInfo: PageInfo! }
type WorkflowState { id: ID! name: String! type: String! team: Team! }
type ProjectStatus { id: ID! name: String! type: ProjectStatusType! }

type IssueLabel {
  id: ID!
  name: String!
  color: String!
  isGroup: Boolean!
  team: Team
  createdAt: DateTime!
}
type IssueLabelConnection { nodes: [IssueLabel!]! pageInfo: PageInfo! }

type Initiative {
  id: ID!
  name: String!
  description: String
  targetDate: TimelessDate
  url: String!
  status: InitiativeStatus!
  parentInitiative: Initiative
  health: InitiativeUpdateHealthType
  subInitiatives(after: String, filter: InitiativeFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): InitiativeConnection!
  projects(after: String, first: Int, includeArchived: Boolean, includeSubInitiatives: Boolean, orderBy: PaginationOrderBy): ProjectConnection!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type InitiativeConnection { nodes: [Initiative!]! pageInfo: PageInfo! }

type Project {
  id: ID!
  name: String!
  url: String!
  status: ProjectStatus!
  health: ProjectUpdateHealthType
  needs(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): CustomerNeedConnection!
  initiatives(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): InitiativeConnection!
  issues(after: String, filter: IssueFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueConnection!
  teams(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): TeamConnection!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type ProjectConnection { nodes: [Project!]! pageInfo: PageInfo! }

type Comment {
  id: ID!
  body: String!
  user: User
  botActor: ActorBot
  issue: Issue
  createdAt: DateTime!
  updatedAt: DateTime!
}
type CommentConnection { nodes: [Comment!]! pageInfo: PageInfo! }

type ActorBot { id: ID name: String type: String! }
type IssueHistory {
  id: ID!
  createdAt: DateTime!
  actorId: String
  actor: User
  botActor: ActorBot
  addedLabelIds: [String!]
  removedLabelIds: [String!]
  addedLabels: [IssueLabel!]
  removedLabels: [IssueLabel!]
}
type IssueHistoryConnection { nodes: [IssueHistory!]! pageInfo: PageInfo! }

type Issue {
  id: ID!
  identifier: String!
  number: Float!
  title: String!
  description: String
  url: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  completedAt: DateTime
  canceledAt: DateTime
  sortOrder: Float!
  estimate: Float
  priority: Float!
  team: Team!
  state: WorkflowState!
  parent: Issue
  children(after: String, filter: IssueFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueConnection!
  project: Project
  labels(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueLabelConnection!
  labelIds: [String!]!
  needs(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): CustomerNeedConnection!
  comments(after: String, filter: CommentFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): CommentConnection!
  history(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueHistoryConnection!
}
type IssueConnection { nodes: [Issue!]! pageInfo: PageInfo! }

input IDComparator { eq: ID in: [ID!] neq: ID nin: [ID!] }
input IssueIDComparator { eq: ID in: [ID!] neq: ID nin: [ID!] }
input BooleanComparator { eq: Boolean neq: Boolean }
input StringComparator {
  contains: String
  containsIgnoreCase: String
  eq: String
  eqIgnoreCase: String
  in: [String!]
  neq: String
  nin: [String!]
  notContains: String
  startsWith: String
}
input TeamFilter { id: IDComparator key: StringComparator and: [TeamFilter!] or: [TeamFilter!] }
input WorkflowStateFilter { id: IDComparator name: StringComparator type: StringComparator }
input UserFilter { id: IDComparator isMe: BooleanComparator }
input InitiativeFilter { id: IDComparator ancestors: InitiativeCollectionFilter and: [InitiativeFilter!] or: [InitiativeFilter!] }
input InitiativeCollectionFilter { id: IDComparator some: InitiativeFilter ancestors: InitiativeCollectionFilter and: [InitiativeCollectionFilter!] or: [InitiativeCollectionFilter!] }
input NullableProjectFilter { id: IDComparator null: Boolean initiatives: InitiativeCollectionFilter and: [NullableProjectFilter!] or: [NullableProjectFilter!] }
input NullableIssueFilter {
  id: IssueIDComparator
  null: Boolean
  parent: NullableIssueFilter
  project: NullableProjectFilter
  team: TeamFilter
  state: WorkflowStateFilter
  and: [NullableIssueFilter!]
  or: [NullableIssueFilter!]
}
input NullableDateComparator { eq: DateTimeOrDuration gt: DateTimeOrDuration gte: DateTimeOrDuration lt: DateTimeOrDuration lte: DateTimeOrDuration neq: DateTimeOrDuration null: Boolean }
input IssueFilter {
  id: IssueIDComparator
  completedAt: NullableDateComparator
  canceledAt: NullableDateComparator
  parent: NullableIssueFilter
  project: NullableProjectFilter
  team: TeamFilter
  state: WorkflowStateFilter
  and: [IssueFilter!]
  or: [IssueFilter!]
}
input CommentFilter { user: UserFilter body: StringComparator and: [CommentFilter!] or: [CommentFilter!] }

type Query {
  viewer: User!
  user(id: String!): User!
  organization: Organization!
  issue(id: String!): Issue!
  issues(after: String, filter: IssueFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueConnection!
  issueLabels(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): IssueLabelConnection!
  project(id: String!): Project!
  projects(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): ProjectConnection!
  initiative(id: String!): Initiative!
  initiatives(after: String, filter: InitiativeFilter, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): InitiativeConnection!
  teams(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): TeamConnection!
  customerNeeds(after: String, first: Int, includeArchived: Boolean, orderBy: PaginationOrderBy): CustomerNeedConnection!
}
type TeamConnection { nodes: [Team!]! pageInfo: PageInfo! }

interface ArchivePayload { lastSyncId: Float! success: Boolean! }
type IssuePayload { issue: Issue lastSyncId: Float! success: Boolean! }
type IssueLabelPayload { issueLabel: IssueLabel! lastSyncId: Float! success: Boolean! }
type CommentPayload { comment: Comment! lastSyncId: Float! success: Boolean! }
type DeletePayload implements ArchivePayload { entityId: String! lastSyncId: Float! success: Boolean! }

input IssueCreateInput {
  description: String
  estimate: Int
  id: String
  labelIds: [String!]
  parentId: String
  priority: Int
  projectId: String
  stateId: String
  teamId: String!
  title: String
}
input IssueUpdateInput {
  addedLabelIds: [String!]
  description: String
  estimate: Int
  labelIds: [String!]
  parentId: String
  priority: Int
  projectId: String
  removedLabelIds: [String!]
  stateId: String
  teamId: String
  title: String
}
input IssueLabelCreateInput { color: String description: String id: String isGroup: Boolean name: String! parentId: String teamId: String }
input CommentCreateInput { body: String doNotSubscribeToIssue: Boolean id: String issueId: String parentId: String }
input CommentUpdateInput { body: String }

type Mutation {
  issueCreate(input: IssueCreateInput!): IssuePayload!
  issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
  issueAddLabel(id: String!, labelId: String!): IssuePayload!
  issueRemoveLabel(id: String!, labelId: String!): IssuePayload!
  issueLabelCreate(input: IssueLabelCreateInput!, replaceTeamLabels: Boolean): IssueLabelPayload!
  commentCreate(input: CommentCreateInput!): CommentPayload!
  commentUpdate(id: String!, input: CommentUpdateInput!, skipEditedAt: Boolean): CommentPayload!
  commentDelete(id: String!): DeletePayload!
}
`;
