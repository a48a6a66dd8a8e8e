// The worker child of `cascade all` reads the environment again: it must be given
// each tracker's part as the parent holds it (the demo's sandboxes included).
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../src/config/environment.js';
import { workerProcessEnv } from '../../cli/worker-process-env.js';

const decided = { redisUrl: 'redis://127.0.0.1:6390', configFile: 'config/x.yaml', logFormat: 'json' as const };

describe('the worker process environment', () => {
  it("gives the child every tracker's credentials and webhook secret, which it reads back the same", () => {
    const vars = {
      LINEAR_API_KEY: 'lin_api_x',
      LINEAR_API_URL: 'http://127.0.0.1:4000/graphql/',
      LINEAR_WEBHOOK_SECRET: 'lin-secret',
      JIRA_BASE_URL: 'https://a.atlassian.net',
      JIRA_ACCESS_TOKEN: 'jira-bearer',
      JIRA_WEBHOOK_SECRET: 'jira-secret',
    };
    const parent = readEnvironment(vars);
    const child = workerProcessEnv({ ...vars, LINEAR_API_URL: 'left over' }, parent, decided);
    expect(child).toMatchObject({ LINEAR_API_KEY: 'lin_api_x', LINEAR_API_URL: 'http://127.0.0.1:4000/graphql', JIRA_ACCESS_TOKEN: 'jira-bearer', JIRA_WEBHOOK_SECRET: 'jira-secret' });
    expect(readEnvironment(child as Record<string, string>).trackers).toEqual(parent.trackers);
  });

  it('gives credentials the parent was handed, not read (the demo), and leaves out secrets it does not hold', () => {
    const parent = readEnvironment({});
    parent.trackers.linear = { credentials: { apiKey: 'lin_api_demo', apiUrl: 'http://127.0.0.1:4100/graphql' }, webhookSecret: 'demo-secret' };
    const child = workerProcessEnv({ JIRA_WEBHOOK_SECRET: 'stale' }, parent, decided);
    expect(child.LINEAR_API_KEY).toBe('lin_api_demo');
    expect(child.LINEAR_WEBHOOK_SECRET).toBe('demo-secret');
    expect(child).not.toHaveProperty('JIRA_WEBHOOK_SECRET');
  });
});
