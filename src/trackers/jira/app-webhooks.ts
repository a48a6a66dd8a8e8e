// The Jira app's dynamic webhook (TRACKERS.md "Dynamic webhooks"): registered
// per installation at Cascade's URL for it, refreshed well before its 30 days
// end (Jira stops delivering on day 31 without a word), re-registered when Jira
// no longer lists it. Jira refuses a filter inside a 200 answer, so every
// registration's `errors` are read and make it a failure.
import type { CloudClient } from 'jira.js';
import type { InstallationRecord } from '../../records/installation.js';

export const WEBHOOK_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'];
/** Refreshed when it ends within this: with 30-day webhooks and a daily keeper, at least every 20 days. */
export const REFRESH_WITHIN_MS = 10 * 24 * 3600_000;

type WebhookFields = NonNullable<InstallationRecord['webhook']>;

export class WebhookRegistrationError extends Error {
  readonly code = 'CASCADE_JIRA_WEBHOOK_REFUSED';
}

/** The filter: the config's projects, or every issue (Jira refuses an empty filter). */
export function webhookJql(projects: string[] | null): string {
  if (!projects || projects.length === 0) return 'project != EMPTY';
  const quoted = projects.map((p) => (/^[A-Za-z][A-Za-z0-9_]*$/.test(p) ? p : `"${p.replace(/["\\]/g, '\\$&')}"`));
  return `project IN (${quoted.join(', ')})`;
}

const iso = (epochMs: number | undefined): string | undefined => (typeof epochMs === 'number' ? new Date(epochMs).toISOString() : undefined);

export async function registerWebhook(client: CloudClient, url: string, jql: string): Promise<WebhookFields> {
  const answer = await client.webhooks.registerDynamicWebhooks({ url, webhooks: [{ events: WEBHOOK_EVENTS, jqlFilter: jql }] });
  const results = answer.webhookRegistrationResult ?? [];
  const errors = results.flatMap((r) => r.errors ?? []);
  const ids = results.map((r) => r.createdWebhookId).filter((id): id is number => typeof id === 'number');
  if (errors.length > 0 || ids.length === 0) throw new WebhookRegistrationError(`Jira refused the webhook (JQL "${jql}"): ${errors.join('; ') || 'no webhook was created'}`);
  const listed = await listWebhooks(client);
  const expiresAt = listed.filter((w) => ids.includes(w.id)).map((w) => w.expirationDate)[0];
  return { ids, url, expiresAt: iso(expiresAt) };
}

/** Every webhook of the app on the site, page by page. */
export async function listWebhooks(client: CloudClient): Promise<Array<{ id: number; expirationDate?: number }>> {
  const all: Array<{ id: number; expirationDate?: number }> = [];
  for (let startAt = 0; ; ) {
    const page = await client.webhooks.getDynamicWebhooksForApp({ startAt, maxResults: 100 });
    const values = page.values ?? [];
    all.push(...values.map((w) => ({ id: w.id, expirationDate: w.expirationDate })));
    if (page.isLast !== false || values.length === 0) return all;
    startAt += values.length;
  }
}

/**
 * Refreshes the webhook when it ends within 10 days, re-registers it when Jira no
 * longer lists it (deleted by an admin, expired and dropped) or Cascade moved
 * (PUBLIC_URL); answers the fields to store.
 */
export async function keepWebhook(client: CloudClient, current: WebhookFields | undefined, target: { url: string; jql: string }, now: Date): Promise<WebhookFields> {
  if (!current || current.ids.length === 0) return registerWebhook(client, target.url, target.jql);
  const listed = await listWebhooks(client);
  const present = current.ids.filter((id) => listed.some((w) => w.id === id));
  if (present.length < current.ids.length || current.url !== target.url) {
    if (present.length > 0) await client.webhooks.deleteWebhookById({ webhookIds: present });
    return registerWebhook(client, target.url, target.jql);
  }
  const ends = Math.min(...listed.filter((w) => present.includes(w.id)).map((w) => w.expirationDate ?? 0));
  if (ends - now.getTime() > REFRESH_WITHIN_MS) return { ...current, expiresAt: iso(ends) };
  const refreshed = await client.webhooks.refreshWebhooks({ webhookIds: current.ids });
  return { ...current, expiresAt: iso(refreshed.expirationDate) };
}

export async function deleteWebhooks(client: CloudClient, ids: number[]): Promise<void> {
  if (ids.length > 0) await client.webhooks.deleteWebhookById({ webhookIds: ids });
}
