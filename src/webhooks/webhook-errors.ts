// Coded errors for the webhook routes: tests assert on the code, the sender sees the status.
import createError from '@fastify/error';

export const MissingSignatureError = createError<[string]>('CASCADE_WEBHOOK_SIGNATURE_MISSING', 'missing %s header', 401);
export const BadSignatureError = createError<[string]>(
  'CASCADE_WEBHOOK_SIGNATURE_INVALID',
  'signature does not match: verify that %s matches the secret configured in the tracker',
  401,
);
export const StaleTimestampError = createError(
  'CASCADE_WEBHOOK_STALE',
  'webhookTimestamp is more than 60 s away from this server’s clock (a replayed delivery, or check the clock)',
  401,
);
export const MalformedPayloadError = createError<[string]>('CASCADE_WEBHOOK_MALFORMED', 'malformed delivery: %s', 400);
export const QueueUnavailableError = createError(
  'CASCADE_QUEUE_UNAVAILABLE',
  'the queue cannot take the event right now; retry later',
  503,
);
