// Linear, as Cascade's registry knows it (src/trackers/registry.ts).
import { splitSecrets, type TrackerDescriptor } from '../descriptor.js';
import { BadSignatureError } from '../webhook-errors.js';
import { LinearTracker } from './linear-tracker.js';
import { linearApp } from './app.js';
import { normaliseLinear } from './normalise-webhook.js';
import { createLinearVerifier } from './verify-webhook.js';

export const linear: TrackerDescriptor<'linear'> = {
  id: 'linear',
  webhook: {
    path: '/webhooks/linear',
    deliveryHeader: 'linear-delivery',
    signatureHeader: 'linear-signature',
    secretVariable: 'LINEAR_WEBHOOK_SECRET',
    secrets: (env) => splitSecrets(env.linearWebhookSecret),
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
  scopeUnit: 'team',
  credentialVariables: 'LINEAR_API_KEY or LINEAR_ACCESS_TOKEN',
  create: (env, logger) =>
    env.linear ? new LinearTracker({ apiKey: env.linear.apiKey, accessToken: env.linear.accessToken, apiUrl: env.linear.apiUrl, log: logger.child({ tracker: 'linear' }) }) : undefined,
  app: linearApp,
};
