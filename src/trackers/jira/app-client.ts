// A jira.js client for one installation of the Jira app: every request asks the
// token source for the current access token (the token keeper refreshes it
// before it ends), and a 401 gets one refresh and one retry, as Atlassian's
// tokens may end early (a revoked consent, a clock apart). The underlying client
// is rebuilt only when the token changes.
import { createClient, type Client } from 'jira.js/core';
import type { AccessTokenSource } from '../descriptor.js';
import { statusOf } from './map-error.js';

export function tokenSourceClient(host: string, tokens: AccessTokenSource): Client {
  let cached: { token: string; client: Client } | undefined;
  const clientFor = (token: string): Client => {
    if (cached?.token !== token) cached = { token, client: createClient({ host, auth: { type: 'bearer', token } }) };
    return cached.client;
  };
  return {
    async sendRequest<T>(options: Parameters<Client['sendRequest']>[0]): Promise<T> {
      // Answers come back unvalidated, as the adapter's other client gives them (jira-client.ts).
      const { schema: _validation, ...request } = options;
      const token = await tokens.current();
      try {
        return await clientFor(token).sendRequest<T>(request);
      } catch (err) {
        if (statusOf(err) !== 401) throw err;
        const next = await tokens.afterUnauthorised(token);
        return await clientFor(next).sendRequest<T>(request);
      }
    },
  };
}
