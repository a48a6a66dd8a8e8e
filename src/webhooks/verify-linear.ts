// Linear's signature check, by the SDK's own LinearWebhookClient: hex
// HMAC-SHA256 of the raw body in `linear-signature`, and the signed body's
// webhookTimestamp within 60 s. Several secrets may be configured (rotation).
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError, StaleTimestampError } from './webhook-errors.js';

export type LinearVerifier = (rawBody: Buffer, signature: string | undefined) => unknown;

export function createLinearVerifier(secrets: string[]): LinearVerifier {
  const clients = secrets.map((secret) => new LinearWebhookClient(secret));
  return (rawBody, signature) => {
    if (!signature) throw new MissingSignatureError('linear-signature');
    let lastError: unknown;
    for (const client of clients) {
      try {
        client.verify(rawBody, signature);
        return JSON.parse(rawBody.toString('utf8'));
      } catch (err) {
        lastError = err;
        if (!(err instanceof Error) || err.message !== 'Invalid webhook signature') break;
      }
    }
    const message = lastError instanceof Error ? lastError.message : '';
    if (lastError instanceof SyntaxError) throw new MalformedPayloadError('the body is not JSON');
    if (message === 'Invalid webhook timestamp') throw new StaleTimestampError();
    if (message === 'Missing webhook timestamp') throw new MalformedPayloadError('webhookTimestamp is missing');
    throw new BadSignatureError('LINEAR_WEBHOOK_SECRET');
  };
}
