// Linear, as Cascade's registry knows it (src/trackers/registry.ts).
import { splitSecrets, type TrackerDescriptor } from '../descriptor.js';
import { BadSignatureError } from '../webhook-errors.js';
import { linearVariables, readLinearEnv, type LinearCredentials } from './environment.js';
import { LinearTracker } from './linear-tracker.js';
import { linearApp } from './app.js';
import { normaliseLinear } from './normalise-webhook.js';
import { createLinearVerifier } from './verify-webhook.js';
import { linearWords } from './words.js';
import { linearOutline } from './config-outline.js';

export const linear: TrackerDescriptor<'linear', LinearCredentials> = {
  id: 'linear',
  environment: { read: readLinearEnv, variables: linearVariables },
  webhook: {
    path: '/webhooks/linear',
    deliveryHeader: 'linear-delivery',
    signatureHeader: 'linear-signature',
    secretVariable: 'LINEAR_WEBHOOK_SECRET',
    secrets: (env) => splitSecrets(env.webhookSecret),
    reader(secrets) {
      // Linear's SDK checks its body's webhookTimestamp against the clock itself (60 s).
      const verify = secrets.length > 0 ? createLinearVerifier(secrets) : undefined;
      return (body, signature) => {
        if (!verify) throw new BadSignatureError('LINEAR_WEBHOOK_SECRET');
        return verify(body, signature);
      };
    },
    normalise: normaliseLinear,
  },
  checkQueue: 'checks-linear',
  words: linearWords,
  outline: linearOutline,
  credentialVariables: 'LINEAR_API_KEY or LINEAR_ACCESS_TOKEN',
  create: (credentials, logger) =>
    new LinearTracker({ apiKey: credentials.apiKey, accessToken: credentials.accessToken, apiUrl: credentials.apiUrl, log: logger.child({ tracker: 'linear' }) }),
  app: linearApp,
};
