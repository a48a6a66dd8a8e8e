// Whether `cascade all` runs the demo: only when no tracker credentials at all
// are set. App credentials (LINEAR_CLIENT_ID/SECRET, JIRA_CLIENT_ID/SECRET) are
// tracker credentials too: with them, Cascade runs for real.
import type { AppEnv } from '../src/config/environment.js';

export function runsTheDemo(command: string, env: AppEnv): boolean {
  return command === 'all' && !Object.values(env.trackers).some((t) => t.credentials !== undefined) && !env.linearApp && !env.jiraApp;
}
