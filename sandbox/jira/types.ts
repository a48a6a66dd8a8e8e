// The sandbox's own records: what a Jira Cloud site holds, kept as plain data.
// Routes render them into REST v3 shapes (see issue-view.ts).

/** An Atlassian Document Format node; only the parts the sandbox looks at are typed. */
export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  attrs?: Record<string, unknown>;
  version?: number;
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface SandboxProject {
  id: string;
  key: string;
  name: string;
}

export interface SandboxIssueType {
  id: string;
  name: string;
  /** -1 sub-task, 0 standard (story, task, bug), 1 epic, 2+ custom levels (initiative). */
  hierarchyLevel: number;
}

export interface SandboxStatus {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export interface SandboxUser {
  accountId: string;
  displayName: string;
  /** 'atlassian' for people, 'app' for bots. */
  accountType: 'atlassian' | 'app';
  email?: string;
  /** With `email`, what Basic auth must carry; any token is accepted when unset. */
  apiToken?: string;
  /** What a Bearer (OAuth 2.0) request must carry. */
  accessToken?: string;
  /** The "Browse users and groups" global permission (default true): without it, user searches answer empty lists. */
  browseUsers?: boolean;
}

export interface SandboxIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  summary: string;
  description: AdfNode | null;
  labels: string[];
  parentId: string | null;
  reporterId: string;
  /** Story points in the configured estimate custom field. */
  estimate: number | null;
  created: number;
  updated: number;
  /** When it entered a Done-category status (Jira's `resolutiondate`); null while not done. */
  resolved: number | null;
  /** Number custom fields a site added (customfield_NNNNN → value), besides the estimate. */
  customFields?: Record<string, number | null>;
}

export interface SandboxComment {
  id: string;
  issueId: string;
  authorId: string;
  updateAuthorId: string;
  /** ADF normally; a string for comments written through API v2 or imported. */
  body: AdfNode | string;
  created: number;
  updated: number;
  /** Comment properties (REST v3 entity properties): app data people never see. */
  properties?: Record<string, unknown>;
  /** Who may see it (REST v3 `Visibility`); absent: everyone who can see the issue. */
  visibility?: { type: 'role' | 'group'; value: string; identifier?: string };
}

/** One field change, as Jira's changelog reports it. */
export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** One entry of an issue's changelog: who changed what, when. */
export interface ChangelogEntry {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

/** What happened in the store; the webhook dispatcher turns each into deliveries. */
export type StoreChange =
  | { kind: 'issue_created'; issue: SandboxIssue; actorId: string }
  | { kind: 'issue_updated'; issue: SandboxIssue; actorId: string; items: ChangeItem[]; eventTypeName: string }
  | { kind: 'issue_deleted'; issue: SandboxIssue; actorId: string }
  | {
      kind: 'comment_created' | 'comment_updated' | 'comment_deleted';
      issue: SandboxIssue;
      comment: SandboxComment;
      actorId: string;
    };

/** A request the sandbox could not honour, answered with Jira's error body. */
export class JiraSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}
