// Linear's part of the environment (src/config/environment.ts asks each
// registered tracker for its own): the default installation's credentials and
// the webhook's signing secrets.
import type { EnvVariables, TrackerEnv } from '../descriptor.js';

export interface LinearCredentials {
  apiKey?: string;
  accessToken?: string;
  /** Default Linear's own API. */
  apiUrl: string;
}

export function readLinearEnv(vars: EnvVariables): TrackerEnv<LinearCredentials> {
  const apiKey = vars.get('LINEAR_API_KEY');
  const accessToken = vars.get('LINEAR_ACCESS_TOKEN');
  // Checked even without credentials: a bad URL is a mistake whatever else is set.
  const apiUrl = vars.url('LINEAR_API_URL') ?? 'https://api.linear.app/graphql';
  return {
    ...(apiKey || accessToken ? { credentials: { apiKey, accessToken, apiUrl } } : {}),
    // Also without API credentials: a receiver-only process verifies deliveries.
    webhookSecret: vars.get('LINEAR_WEBHOOK_SECRET'),
  };
}

/** The variables a process reading the environment again (the worker child of `cascade all`) is given. */
export function linearVariables(env: TrackerEnv<LinearCredentials>): Record<string, string | undefined> {
  const credentials = env.credentials
    ? { LINEAR_API_KEY: env.credentials.apiKey, LINEAR_ACCESS_TOKEN: env.credentials.accessToken, LINEAR_API_URL: env.credentials.apiUrl }
    : {};
  return { ...credentials, LINEAR_WEBHOOK_SECRET: env.webhookSecret };
}
