// Jira's part of the environment (src/config/environment.ts asks each
// registered tracker for its own): the site, the default installation's
// credentials and the webhook's signing secrets.
import type { EnvVariables, TrackerEnv } from '../descriptor.js';

export interface JiraCredentials {
  baseUrl: string;
  email?: string;
  apiToken?: string;
  /** OAuth 2.0 bearer token, instead of email + API token. */
  accessToken?: string;
}

export function readJiraEnv(vars: EnvVariables): TrackerEnv<JiraCredentials> {
  const baseUrl = vars.url('JIRA_BASE_URL');
  const email = vars.get('JIRA_EMAIL');
  const apiToken = vars.get('JIRA_API_TOKEN');
  const accessToken = vars.get('JIRA_ACCESS_TOKEN');
  let credentials: JiraCredentials | undefined;
  if (baseUrl || email || apiToken || accessToken) {
    if (!baseUrl) vars.problem('JIRA_BASE_URL is required when Jira credentials are set (e.g. https://your-site.atlassian.net)');
    else if (!accessToken && !(email && apiToken)) vars.problem('JIRA_EMAIL and JIRA_API_TOKEN (or JIRA_ACCESS_TOKEN) are required with JIRA_BASE_URL');
    else credentials = { baseUrl, email, apiToken, accessToken };
  }
  return { ...(credentials ? { credentials } : {}), webhookSecret: vars.get('JIRA_WEBHOOK_SECRET') };
}

/** The variables a process reading the environment again (the worker child of `cascade all`) is given. */
export function jiraVariables(env: TrackerEnv<JiraCredentials>): Record<string, string | undefined> {
  const credentials = env.credentials
    ? { JIRA_BASE_URL: env.credentials.baseUrl, JIRA_EMAIL: env.credentials.email, JIRA_API_TOKEN: env.credentials.apiToken, JIRA_ACCESS_TOKEN: env.credentials.accessToken }
    : {};
  return { ...credentials, JIRA_WEBHOOK_SECRET: env.webhookSecret };
}
