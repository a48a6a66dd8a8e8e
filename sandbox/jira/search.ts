// The enhanced search (/rest/api/3/search/jql): token paging with no total, ids
// only unless `fields` asks for more, at most 100 issues and 20 comments each.
import { createHash } from 'node:crypto';
import { issueView } from './issue-view.js';
import { runJql } from './jql-eval.js';
import type { JiraStore } from './store.js';
import { JiraSandboxError } from './types.js';

export const MAX_SEARCH_RESULTS = 100;
export const SEARCH_COMMENT_LIMIT = 20;

export interface SearchRequest {
  jql: string | undefined;
  fields: string[] | undefined;
  maxResults: unknown;
  nextPageToken: string | undefined;
}

function queryHash(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 12);
}

/** Tokens are opaque to clients; this one names its query so it cannot be reused for another. */
function readToken(token: string | undefined, jql: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const { q, o } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; o?: unknown };
    if (q === queryHash(jql) && typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the 400 below
  }
  throw new JiraSandboxError(400, ['The provided next page token is invalid or expired.']);
}

function pageSize(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new JiraSandboxError(400, [`The value '${String(raw)}' is invalid for maxResults.`]);
  return Math.min(n, MAX_SEARCH_RESULTS);
}

export function searchPage(store: JiraStore, baseUrl: string, request: SearchRequest): Record<string, unknown> {
  const maxResults = pageSize(request.maxResults);
  const matched = runJql(store, request.jql);
  const jql = request.jql ?? '';
  const offset = readToken(request.nextPageToken, jql);
  const slice = matched.slice(offset, offset + maxResults);
  const issues = slice.map((issue) =>
    issueView(store, issue, { baseUrl, fields: request.fields, defaultFields: 'none', commentLimit: SEARCH_COMMENT_LIMIT }),
  );
  const end = offset + slice.length;
  const isLast = end >= matched.length;
  const page: Record<string, unknown> = { issues, isLast };
  if (!isLast) page.nextPageToken = Buffer.from(JSON.stringify({ q: queryHash(jql), o: end })).toString('base64url');
  return page;
}
