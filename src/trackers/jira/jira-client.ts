// The jira.js 6 client the adapter talks through (`createCloudClient`, REST v3),
// wrapped so it behaves as the adapter needs:
// - Every request gives up after `timeoutMs` with a retryable error. jira.js 6
//   sends with `fetch` and takes no timeout or signal, so the wait is raced; a
//   request left behind ends with its socket (undici's own timeouts).
// - Answers come back as Jira sent them, as with jira.js 5. jira.js 6 checks each
//   one against its schemas, prints a line on stderr (outside Cascade's log) for
//   any that differs, and turns some fields (dates) into objects when it matches;
//   the adapter reads only the fields it types itself, each optional.
import { createCloudClient, type CloudClient } from 'jira.js';
import { createClient, type Client } from 'jira.js/core';
import type { AccessTokenSource } from '../descriptor.js';
import { tokenSourceClient } from './app-client.js';

/** Basic auth, a fixed OAuth access token, or an installation's token source (refreshed as needed, once more after a 401). */
export type JiraAuth = { email: string; apiToken: string } | { accessToken: string } | { tokens: AccessTokenSource };

/** Which setting names each part of jira.js's client config, for the error a person reads. */
const SETTING: Record<string, string> = {
  host: 'JIRA_BASE_URL',
  'auth.email': 'JIRA_EMAIL',
  'auth.apiToken': 'JIRA_API_TOKEN',
  'auth.token': 'JIRA_ACCESS_TOKEN',
};

function withTimeout(client: Client, timeoutMs: number): Client {
  return {
    async sendRequest<T>(options: Parameters<Client['sendRequest']>[0]): Promise<T> {
      const { schema: _validation, ...request } = options;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Jira did not answer ${request.method ?? 'GET'} ${request.url} within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([client.sendRequest<T>(request), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A Jira Cloud client for `host`; throws an error naming the setting when jira.js refuses one. */
export function createJiraClient(host: string, auth: JiraAuth, timeoutMs: number): CloudClient {
  let base: Client;
  try {
    if ('tokens' in auth) return createCloudClient(withTimeout(tokenSourceClient(host, auth.tokens), timeoutMs));
    base = createClient({
      host,
      auth: 'accessToken' in auth ? { type: 'bearer', token: auth.accessToken } : { type: 'basic', email: auth.email, apiToken: auth.apiToken },
    });
  } catch (err) {
    const issues = (err as { issues?: Array<{ path?: PropertyKey[]; message?: string }> }).issues;
    if (!Array.isArray(issues)) throw err;
    const problems = issues.map((issue) => {
      const path = (issue.path ?? []).map(String).join('.');
      return `${SETTING[path] ?? path}: ${issue.message ?? 'invalid'}`;
    });
    throw new Error(`Jira client settings rejected: ${problems.join('; ')}`, { cause: err });
  }
  return createCloudClient(withTimeout(base, timeoutMs));
}
