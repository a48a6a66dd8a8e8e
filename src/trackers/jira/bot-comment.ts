// Finds Cascade's own comment on an issue. Cascade keeps the fingerprint of
// what it said in a comment property (key `cascade`), out of people's sight;
// comments written before that carry it as a visible `cascade:check:<fp>`
// paragraph, and are still recognised (and rewritten without it on their next
// edit). The issue's `comment` field does not return properties, and the
// account Cascade authenticates as may be a person's (Basic auth), so a
// comment by that account is Cascade's only once its property says so: a check
// reads the properties of those candidates in one `POST /comment/list`, made
// only on tickets where the account has commented (no request elsewhere).
// The issue's `comment` field usually holds all comments (the enhanced search
// only the first 20), so the comments API is read only when some are missing.
import { fingerprintIn } from '../../reconcile/comment-doc.js';
import type { BotComment } from '../tracker.js';
import { adfToText } from './adf-text.js';
import type { JiraComment, JiraIssue } from './issue-mapping.js';
import { PAGE_SIZE, type JiraApi } from './jira-api.js';

/** The comment property Cascade writes with its comment: `{ fingerprint }`. */
export const COMMENT_PROPERTY_KEY = 'cascade';

/** The fingerprint in a comment's `cascade` property, when it has one (properties come with `expand=properties`). */
export function propertyFingerprint(comment: JiraComment): string | null {
  const value = comment.properties?.find((p) => p.key === COMMENT_PROPERTY_KEY)?.value as { fingerprint?: unknown } | undefined;
  return typeof value?.fingerprint === 'string' ? value.fingerprint : null;
}

interface Candidates {
  /** A comment by the account that carries the visible marker (written before properties). */
  legacy: BotComment | null;
  /** Comments by the account without the marker: Cascade's if their property says so. */
  others: JiraComment[];
}

function sort(comments: JiraComment[], botId: string, into: Candidates): void {
  for (const comment of comments) {
    if (comment.author?.accountId !== botId) continue;
    const body = adfToText(comment.body);
    const fingerprint = fingerprintIn(body);
    if (fingerprint !== null) into.legacy ??= { id: comment.id, body, fingerprint };
    else into.others.push(comment);
  }
}

async function candidatesOf(api: JiraApi, issue: JiraIssue, botId: string): Promise<Candidates> {
  const field = issue.fields?.comment;
  const present = field?.comments ?? [];
  const found: Candidates = { legacy: null, others: [] };
  if ((field?.total ?? 0) <= present.length) {
    sort(present, botId, found);
    return found;
  }
  // Comments a person posted pushed some out of the first page: read them all.
  for (let startAt = 0; ; startAt += PAGE_SIZE) {
    const page = await api.comments(issue.key, startAt);
    const comments = page.comments ?? [];
    sort(comments, botId, found);
    if (comments.length === 0 || startAt + comments.length >= (page.total ?? 0)) return found;
  }
}

/**
 * Cascade's comment from the issue a check has just read. `verify` (a check that
 * may write) reads the candidates' properties; a sweep page, which never writes,
 * takes the account's comment for Cascade's without spending a request on it.
 */
export async function findBotComment(api: JiraApi, issue: JiraIssue, botId: string, verify = true): Promise<BotComment | null> {
  const { legacy, others } = await candidatesOf(api, issue, botId);
  if (legacy) return legacy;
  if (others.length === 0) return null;
  if (!verify) {
    const first = others[0]!;
    return { id: first.id, body: adfToText(first.body), fingerprint: null };
  }
  for (const comment of await api.commentsWithProperties(others.map((c) => c.id))) {
    const fingerprint = propertyFingerprint(comment);
    if (fingerprint !== null) return { id: comment.id, body: adfToText(comment.body), fingerprint };
  }
  return null;
}
