import { describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from '../../src/config/environment.js';

function problems(env: Record<string, string>): string[] {
  try {
    readEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof EnvironmentError) return err.problems;
    throw err;
  }
}

describe('environment', () => {
  it('fills in the documented defaults', () => {
    const env = readEnvironment({});
    expect(env).toMatchObject({ port: 3000, configFile: 'config/strategy.yaml', digestCron: '0 9 * * 1', digestTz: 'UTC', logLevel: 'info', adminTokens: [] });
    expect(env.trackers.linear?.credentials).toBeUndefined();
    expect(env.trackers.jira?.credentials).toBeUndefined();
  });

  it('names each bad variable on its own line', () => {
    const lines = problems({ PORT: 'eighty', DIGEST_TZ: 'Mars/Olympus', LOG_LEVEL: 'loud', REDIS_URL: 'http://x', DRY_RUN: 'maybe' });
    expect(lines).toHaveLength(5);
    for (const name of ['PORT', 'DIGEST_TZ', 'LOG_LEVEL', 'REDIS_URL', 'DRY_RUN']) expect(lines.some((l) => l.startsWith(`${name}=`))).toBe(true);
  });

  it('rejects a bad cron expression and incomplete Jira credentials', () => {
    expect(problems({ DIGEST_CRON: 'every monday' })[0]).toMatch(/^DIGEST_CRON=/);
    expect(problems({ JIRA_BASE_URL: 'https://acme.atlassian.net' })[0]).toMatch(/JIRA_EMAIL and JIRA_API_TOKEN/);
  });

  it('reads named admin tokens and refuses short ones', () => {
    const env = readEnvironment({ ADMIN_TOKEN: 'alice:0123456789abcdef0,bob:fedcba98765432100' });
    expect(env.adminTokens.map((t) => t.name)).toEqual(['alice', 'bob']);
    expect(problems({ ADMIN_TOKEN: 'short' })[0]).toMatch(/ADMIN_TOKEN entry 1/);
  });

  it('refuses a DIGEST_TOKEN shorter than 16 characters, naming it but not its value', () => {
    expect(readEnvironment({ DIGEST_TOKEN: '0123456789abcdef' }).digestToken).toBe('0123456789abcdef');
    const lines = problems({ DIGEST_TOKEN: '0123456789abcde' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DIGEST_TOKEN is shorter than 16 characters/);
    expect(lines[0]).not.toContain('0123456789abcde');
  });

  it('reads tracker credentials', () => {
    const env = readEnvironment({ LINEAR_API_KEY: 'lin_api_x', LINEAR_API_URL: 'http://127.0.0.1:4000/graphql', JIRA_BASE_URL: 'https://a.atlassian.net/', JIRA_EMAIL: 'bot@a.io', JIRA_API_TOKEN: 't' });
    expect(env.trackers.linear?.credentials).toEqual({ apiKey: 'lin_api_x', apiUrl: 'http://127.0.0.1:4000/graphql' });
    expect(env.trackers.jira?.credentials).toEqual({ baseUrl: 'https://a.atlassian.net', email: 'bot@a.io', apiToken: 't' });
  });
});
