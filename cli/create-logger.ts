// One pino logger for the process; children per delivery and per job.
// Secrets are redacted by path so they never reach a log line, even inside an
// error object from a tracker client (axios keeps request headers on errors).
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'err.config.headers.Authorization',
  'err.cause.config.headers.Authorization',
  'err.cause.config.auth',
  'err.request',
  'err.cause.request',
  '*.apiKey',
  '*.accessToken',
  '*.apiToken',
  '*.token',
  '*.secret',
  '*.webhookSecret',
  '*.adminTokens',
  '*.digestToken',
];

export function createLogger(level: string, destination?: pino.DestinationStream | NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'cascade' } }, destination as pino.DestinationStream | undefined);
}
