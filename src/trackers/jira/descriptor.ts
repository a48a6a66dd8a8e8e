// Jira Cloud, as Cascade's registry knows it (src/trackers/registry.ts).
import { splitSecrets, type TrackerDescriptor } from '../descriptor.js';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError } from '../webhook-errors.js';
import { jiraApp } from './app.js';
import { JiraTracker } from './jira-tracker.js';
import { normaliseJira } from './normalise-webhook.js';
import { jiraSignatureDigest, verifyJiraSignature } from './verify-webhook.js';
import { assertJiraFresh } from './webhook-freshness.js';

const SIGNATURE = 'X-Hub-Signature';

export const jira: TrackerDescriptor<'jira'> = {
  id: 'jira',
  webhook: {
    path: '/webhooks/jira',
    deliveryHeader: 'x-atlassian-webhook-identifier',
    signatureHeader: SIGNATURE,
    secretVariable: 'JIRA_WEBHOOK_SECRET',
    secrets: (env) => splitSecrets(env.jiraWebhookSecret),
    reader: (secrets) => (body, signature, receivedAt) => {
      if (!signature) throw new MissingSignatureError(SIGNATURE);
      if (!verifyJiraSignature(body, signature, secrets)) throw new BadSignatureError('JIRA_WEBHOOK_SECRET');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new MalformedPayloadError('the body is not JSON');
      }
      // A signature proves who wrote the bytes, not when: the signed body's own time must be recent.
      assertJiraFresh(parsed, receivedAt);
      return parsed;
    },
    normalise: normaliseJira,
    bodyDigest: jiraSignatureDigest,
  },
  checkQueue: 'checks-jira',
  scopeUnit: 'project',
  credentialVariables: 'JIRA_BASE_URL with JIRA_EMAIL and JIRA_API_TOKEN',
  create: (env) =>
    env.jira
      ? new JiraTracker({
          host: env.jira.baseUrl,
          auth: env.jira.accessToken ? { accessToken: env.jira.accessToken } : { email: env.jira.email ?? '', apiToken: env.jira.apiToken ?? '' },
        })
      : undefined,
  app: jiraApp,
};
