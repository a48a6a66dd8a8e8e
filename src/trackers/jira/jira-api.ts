// The handful of jira.js calls the adapter makes, each with its failure mapped
// to Cascade's tracker errors. No retries here: the queue retries, and a 429
// pauses the limiter (STYLE.md 7).
import type { CloudClient } from 'jira.js';
import type { AdfDoc } from './render-adf.js';
import type { JiraComment, JiraIssue, SearchResult } from './issue-mapping.js';
import { mapJiraError, statusOf } from './map-error.js';

/** Issues per enhanced-search page; Jira caps it at 100 when fields are asked for. */
export const PAGE_SIZE = 100;

export interface JiraUser {
  accountId: string;
  displayName?: string;
}

export interface JiraIssueType {
  id: string;
  name?: string;
  hierarchyLevel?: number;
}

/** One entry of an issue's changelog (REST v3 `Changelog`). */
export interface JiraChangelog {
  author?: JiraUser;
  created?: string;
  items?: Array<{ field?: string; fieldId?: string; fromString?: string | null; toString?: string | null }>;
}

/** A page of an issue's changelog, oldest first (GET /rest/api/3/issue/{key}/changelog; 100 is Jira's largest page). */
export interface ChangelogPage {
  values?: JiraChangelog[];
  startAt?: number;
  total?: number;
  isLast?: boolean;
}

// A type, not an interface: jira.js 6 takes properties as open records.
export type CommentProperty = {
  key: string;
  value: unknown;
};

type Document = Extract<Parameters<CloudClient['issueComments']['addComment']>[0]['body'], object>;

/** Cascade's ADF is a document as jira.js 6 types it (an open record), built from closed types. */
const asDocument = (body: AdfDoc): Document => body as unknown as Document;

export class JiraApi {
  constructor(private readonly client: CloudClient) {}

  /** jira.js types the answers by its own models; the adapter reads them as the slice it needs (`T`). */
  private async call<T>(what: string, request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T;
    } catch (err) {
      throw mapJiraError(err, what);
    }
  }

  /** The issue with the given fields, or null when Jira says 404. */
  async getIssue(idOrKey: string, fields: string[]): Promise<JiraIssue | null> {
    try {
      return (await this.client.issues.getIssue({ issueIdOrKey: idOrKey, fields })) as JiraIssue;
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw mapJiraError(err, `GET issue ${idOrKey}`);
    }
  }

  search(jql: string, fields: string[], nextPageToken?: string): Promise<SearchResult> {
    return this.call(`search "${jql}"`, () =>
      this.client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields,
        maxResults: PAGE_SIZE,
        ...(nextPageToken ? { nextPageToken } : {}),
      }),
    );
  }

  myself(): Promise<JiraUser> {
    return this.call('GET myself', () => this.client.myself.getCurrentUser());
  }

  /**
   * The users with every one of `permissions` on the issue, among `accountId`
   * (GET /rest/api/3/user/permission/search); null when the issue is gone.
   * Jira answers an empty list, not an error, to a caller without the
   * "Browse users and groups" global permission.
   */
  async usersWithPermission(permissions: string, issueKey: string, accountId: string): Promise<JiraUser[] | null> {
    try {
      return (await this.client.userSearch.findUsersWithAllPermissions({ permissions, issueKey, accountId, maxResults: 1 })) as JiraUser[];
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw mapJiraError(err, `GET users with ${permissions} on ${issueKey}`);
    }
  }

  issueTypes(): Promise<JiraIssueType[]> {
    return this.call('GET issue types', () => this.client.issueTypes.getIssueAllTypes());
  }

  /** A page of the site's labels (GET /rest/api/3/label; 1000 is Jira's largest page). */
  labels(startAt: number): Promise<{ values?: string[]; isLast?: boolean; total?: number }> {
    return this.call('GET labels', () => this.client.labels.getAllLabels({ startAt, maxResults: 1000 }));
  }

  comments(key: string, startAt: number): Promise<{ comments?: JiraComment[]; total?: number }> {
    return this.call(`GET comments of ${key}`, () =>
      this.client.issueComments.getComments({ issueIdOrKey: key, startAt, maxResults: PAGE_SIZE }),
    );
  }

  changelog(key: string, startAt: number): Promise<ChangelogPage> {
    return this.call(`GET changelog of ${key}`, () => this.client.issues.getChangeLogs({ issueIdOrKey: key, startAt, maxResults: 100 }));
  }

  /** `update.labels` add/remove: never `fields.labels`, which would replace what people set. */
  editLabel(key: string, label: string, present: boolean): Promise<void> {
    const op = present ? { add: label } : { remove: label };
    return this.call(`label ${key}`, async () => {
      await this.client.issues.editIssue({ issueIdOrKey: key, update: { labels: [op] } });
    });
  }

  /** `/cascade link`: PUT /rest/api/3/issue/{key} with `fields.parent` (Jira accepts exactly one hierarchy level up). */
  setParent(key: string, parentKey: string): Promise<void> {
    return this.call(`parent of ${key}`, async () => {
      await this.client.issues.editIssue({ issueIdOrKey: key, fields: { parent: { key: parentKey } } });
    });
  }

  /** Comments by id with their properties (POST /rest/api/3/comment/list?expand=properties; up to 1000 ids). */
  async commentsWithProperties(ids: string[]): Promise<JiraComment[]> {
    const page = await this.call<{ values?: JiraComment[] }>('GET comments by id', () =>
      this.client.issueComments.getCommentsByIds({ ids: ids.slice(0, 1000).map(Number), expand: 'properties' }),
    );
    return page.values ?? [];
  }

  /** The comment and its properties in one request, so no comment is ever Cascade's without them. */
  addComment(key: string, body: AdfDoc, properties: CommentProperty[]): Promise<JiraComment> {
    return this.call(`comment on ${key}`, () =>
      this.client.issueComments.addComment({ issueIdOrKey: key, body: asDocument(body), properties }),
    );
  }

  /** False when the comment is gone (a person deleted it). Properties given are set with the text. */
  async updateComment(key: string, id: string, body: AdfDoc, properties: CommentProperty[]): Promise<boolean> {
    try {
      await this.client.issueComments.updateComment({ issueIdOrKey: key, id, body: { body: asDocument(body), properties } });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw mapJiraError(err, `edit comment ${id} on ${key}`);
    }
  }

  /** False when the comment was already gone. */
  async deleteComment(key: string, id: string): Promise<boolean> {
    try {
      await this.client.issueComments.deleteComment({ issueIdOrKey: key, id });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw mapJiraError(err, `delete comment ${id} on ${key}`);
    }
  }
}
