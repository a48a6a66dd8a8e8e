// Linear's signature check, by the SDK's own LinearWebhookClient: hex
// HMAC-SHA256 of the raw body in `linear-signature`, and the signed body's
// webhookTimestamp within 60 s. Several secrets may be configured (rotation).
//
// The body is parsed once. LinearWebhookClient.verify parses the raw body
// itself to read webhookTimestamp (after the HMAC matched); each client here
// keeps that parse so the route does not parse the same bytes a second time.
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { BadSignatureError, MalformedPayloadError, MissingSignatureError, StaleTimestampError } from '../webhook-errors.js';

export type LinearVerifier = (rawBody: Buffer, signature: string | undefined) => unknown;

const NOT_PARSED: unique symbol = Symbol('not parsed');

/** A LinearWebhookClient whose verify() hands back the body it parsed. */
function keepingParse(secret: string): { client: LinearWebhookClient; take(rawBody: Buffer): unknown } {
  const client = new LinearWebhookClient(secret);
  let last: { raw: Buffer; parsed: unknown } | undefined;
  // The SDK's own parse (a private method in its types, the same JSON.parse), wrapped to keep its result.
  const sdk = client as unknown as { parseBodyAsWebhookPayload?: (raw: Buffer) => unknown };
  const parse = sdk.parseBodyAsWebhookPayload?.bind(client);
  if (parse) {
    sdk.parseBodyAsWebhookPayload = (raw: Buffer) => {
      const parsed = parse(raw);
      last = { raw, parsed };
      return parsed;
    };
  }
  return {
    client,
    take(rawBody) {
      const kept = last?.raw === rawBody ? last.parsed : NOT_PARSED;
      last = undefined;
      // An SDK that parses differently: parse here (correct, only slower).
      return kept === NOT_PARSED ? JSON.parse(rawBody.toString('utf8')) : kept;
    },
  };
}

export function createLinearVerifier(secrets: string[]): LinearVerifier {
  const clients = secrets.map(keepingParse);
  return (rawBody, signature) => {
    if (!signature) throw new MissingSignatureError('linear-signature');
    let lastError: unknown;
    for (const { client, take } of clients) {
      try {
        client.verify(rawBody, signature);
        return take(rawBody);
      } catch (err) {
        lastError = err;
        if (!(err instanceof Error) || err.message !== 'Invalid webhook signature') break;
      }
    }
    const message = lastError instanceof Error ? lastError.message : '';
    if (lastError instanceof SyntaxError) throw new MalformedPayloadError('the body is not JSON');
    if (message === 'Invalid webhook timestamp') throw new StaleTimestampError('webhookTimestamp is more than 60 s away from this server’s clock');
    if (message === 'Missing webhook timestamp') throw new MalformedPayloadError('webhookTimestamp is missing');
    throw new BadSignatureError('LINEAR_WEBHOOK_SECRET');
  };
}
