// The adapters for the trackers that have credentials in the environment.
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import { JiraTracker } from '../src/trackers/jira/index.js';

export function buildTrackers(env: AppEnv, logger: Logger): TrackerRegistry {
  const registry: TrackerRegistry = {};
  if (env.linear) {
    registry.linear = new LinearTracker({ apiKey: env.linear.apiKey, accessToken: env.linear.accessToken, apiUrl: env.linear.apiUrl, log: logger.child({ tracker: 'linear' }) });
  }
  if (env.jira) {
    registry.jira = new JiraTracker({
      host: env.jira.baseUrl,
      auth: env.jira.accessToken ? { accessToken: env.jira.accessToken } : { email: env.jira.email ?? '', apiToken: env.jira.apiToken ?? '' },
    });
  }
  return registry;
}
