// Finds Cascade's own comment on an issue: written by the bot's account and
// carrying the marker. The issue's `comment` field usually holds them all (the
// enhanced search only the first 20), so the comments API is read only when
// some are missing and none of those present is Cascade's.
import { fingerprintIn } from '../../reconcile/comment-doc.js';
import type { BotComment } from '../tracker.js';
import { adfToText } from './adf-text.js';
import type { JiraComment, JiraIssue } from './issue-mapping.js';
import { PAGE_SIZE, type JiraApi } from './jira-api.js';

function pick(comments: JiraComment[], botId: string): BotComment | null {
  for (const comment of comments) {
    if (comment.author?.accountId !== botId) continue;
    const body = adfToText(comment.body);
    if (fingerprintIn(body) !== null) return { id: comment.id, body };
  }
  return null;
}

export async function findBotComment(api: JiraApi, issue: JiraIssue, botId: string): Promise<BotComment | null> {
  const field = issue.fields?.comment;
  const present = field?.comments ?? [];
  const found = pick(present, botId);
  if (found || (field?.total ?? 0) <= present.length) return found;
  // Comments a person posted after Cascade pushed it out of the first page: read them all.
  for (let startAt = 0; ; startAt += PAGE_SIZE) {
    const page = await api.comments(issue.key, startAt);
    const comments = page.comments ?? [];
    const hit = pick(comments, botId);
    if (hit) return hit;
    if (comments.length === 0 || startAt + comments.length >= (page.total ?? 0)) return null;
  }
}
