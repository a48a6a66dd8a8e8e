// The admin API's coded errors. Tests and scripts match on the code; the
// message tells the operator what to do next.
import createError from '@fastify/error';
import type { FastifyReply } from 'fastify';

export const PreconditionRequiredError = createError(
  'CASCADE_PRECONDITION_REQUIRED',
  'send If-Match with the ETag of the config you edited (GET /admin/config returns it)',
  428,
);
export const StaleEtagError = createError(
  'CASCADE_STALE_ETAG',
  'the config changed since you read it: it is now version %s; GET /admin/config, re-apply your edit and send the new ETag',
  412,
);
export const InvalidConfigError = createError('CASCADE_INVALID_CONFIG', 'the config has %s problem(s): see issues', 400);
export const NoConfigError = createError('CASCADE_NO_CONFIG', 'Redis holds no config yet: PUT one with If-Match: "0", or start Cascade with CONFIG_FILE', 404);
export const UnknownVersionError = createError('CASCADE_UNKNOWN_VERSION', 'there is no config version %s: GET /admin/config/versions lists them', 404);
export const ConfigBusyError = createError('CASCADE_CONFIG_BUSY', 'the config kept changing while rolling back: try again', 409);
export const TrackerNotConfiguredError = createError(
  'CASCADE_TRACKER_NOT_CONFIGURED',
  '%s is not configured in this deployment: set its credentials (%s) to use it',
  404,
);
export const TicketNotFoundError = createError('CASCADE_TICKET_NOT_FOUND', '%s has no ticket "%s" (or the token cannot see it)', 404);
export const NoExemptionError = createError('CASCADE_NO_EXEMPTION', '%s has no exemption a person set on "%s": GET /admin/exemptions lists them', 404);
export const TrackerUnavailableError = createError('CASCADE_TRACKER_UNAVAILABLE', '%s did not answer: %s', 503);
export { RateLimitedError } from '../limit-bad-tokens.js';

/** Sends a coded error with fields the shared error handler would drop (issues, the current version). */
export function sendError(reply: FastifyReply, error: { code: string; message: string; statusCode?: number }, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(error.statusCode ?? 400).send({ error: error.code, message: error.message, ...extra });
}
