// Coded errors for the webhook routes: tests assert on the code, the sender sees the status.
import createError from '@fastify/error';

export const MissingSignatureError = createError<[string]>('CASCADE_WEBHOOK_SIGNATURE_MISSING', 'missing %s header', 401);
export const BadSignatureError = createError<[string]>(
  'CASCADE_WEBHOOK_SIGNATURE_INVALID',
  'signature does not match: verify that %s matches the secret configured in the tracker',
  401,
);
/** The signed body's own time is outside the window its tracker allows: a replay, or a wrong clock here. */
export const StaleTimestampError = createError<[string]>('CASCADE_WEBHOOK_STALE', '%s (a replayed delivery, or check this server’s clock)', 401);
export const MalformedPayloadError = createError<[string]>('CASCADE_WEBHOOK_MALFORMED', 'malformed delivery: %s', 400);
export const QueueUnavailableError = createError(
  'CASCADE_QUEUE_UNAVAILABLE',
  'the queue cannot take the event right now; retry later',
  503,
);
