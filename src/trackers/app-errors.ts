// Errors of a tracker's OAuth app that the rest of Cascade acts on.

/** The tracker refused the refresh token or the grant (`invalid_grant`): only a new consent helps. */
export class InvalidGrantError extends Error {
  readonly code = 'CASCADE_INVALID_GRANT';
}

/** The tracker refused the consent's code or answered the exchange with something unusable: the admin tries again. */
export class ConsentFailedError extends Error {
  readonly code = 'CASCADE_CONSENT_FAILED';
  readonly statusCode = 400;
}
