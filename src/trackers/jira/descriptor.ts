// Jira Cloud, as Cascade's registry knows it (src/trackers/registry.ts).
import { splitSecrets, type TrackerDescriptor } from '../descriptor.js';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError } from '../webhook-errors.js';
import { jiraApp } from './app.js';
import { jiraVariables, readJiraEnv, type JiraCredentials } from './environment.js';
import { JiraTracker } from './jira-tracker.js';
import { normaliseJira } from './normalise-webhook.js';
import { jiraSignatureDigest, verifyJiraSignature } from './verify-webhook.js';
import { assertJiraFresh } from './webhook-freshness.js';
import { jiraWords } from './words.js';
import { jiraOutline } from './config-outline.js';

const SIGNATURE = 'X-Hub-Signature';

export const jira: TrackerDescriptor<'jira', JiraCredentials> = {
  id: 'jira',
  environment: { read: readJiraEnv, variables: jiraVariables },
  webhook: {
    path: '/webhooks/jira',
    deliveryHeader: 'x-atlassian-webhook-identifier',
    signatureHeader: SIGNATURE,
    secretVariable: 'JIRA_WEBHOOK_SECRET',
    secrets: (env) => splitSecrets(env.webhookSecret),
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
  words: jiraWords,
  outline: jiraOutline,
  credentialVariables: 'JIRA_BASE_URL with JIRA_EMAIL and JIRA_API_TOKEN',
  create: (credentials) =>
    new JiraTracker({
      host: credentials.baseUrl,
      auth: credentials.accessToken ? { accessToken: credentials.accessToken } : { email: credentials.email ?? '', apiToken: credentials.apiToken ?? '' },
    }),
  app: jiraApp,
};
