// A signed Jira body is acted on only within an hour of its own timestamp (and up to 5 minutes ahead of the clock).
import { describe, expect, it } from 'vitest';
import { assertJiraFresh } from '../../src/trackers/jira/webhook-freshness.js';

const NOW = Date.parse('2026-12-07T09:00:00Z');
const MINUTE = 60_000;

const verdict = (body: unknown): string => {
  try {
    assertJiraFresh(body, NOW);
    return 'fresh';
  } catch (err) {
    const { statusCode, code, message } = err as { statusCode: number; code: string; message: string };
    return `${statusCode} ${code}: ${message}`;
  }
};

describe('assertJiraFresh', () => {
  it('takes a body from the last hour, or a few minutes ahead (clock skew)', () => {
    for (const age of [0, 1, 30 * MINUTE, 60 * MINUTE, -5 * MINUTE]) expect(verdict({ timestamp: NOW - age }), `age ${age}`).toBe('fresh');
  });

  it('refuses older or later bodies with 401 CASCADE_WEBHOOK_STALE, saying how far off they are', () => {
    expect(verdict({ timestamp: NOW - 60 * MINUTE - 1 })).toMatch(/^401 CASCADE_WEBHOOK_STALE: timestamp is 60 minutes old; Jira deliveries older than 1 hour are refused/);
    expect(verdict({ timestamp: NOW - 30 * 24 * 60 * MINUTE })).toMatch(/^401 CASCADE_WEBHOOK_STALE: timestamp is 30 days old/);
    expect(verdict({ timestamp: NOW + 5 * MINUTE + 1 })).toMatch(/^401 CASCADE_WEBHOOK_STALE: timestamp is 5 minutes ahead/);
    expect(verdict({ timestamp: NOW + 10 * MINUTE })).toMatch(/^401 CASCADE_WEBHOOK_STALE: timestamp is 10 minutes ahead/);
    expect(verdict({ timestamp: 0 })).toMatch(/^401 CASCADE_WEBHOOK_STALE/);
  });

  it('refuses a body without a numeric timestamp as malformed (400): it could never be told from a replay', () => {
    for (const body of [{}, { timestamp: String(NOW) }, { timestamp: null }, { timestamp: Number.POSITIVE_INFINITY }, { timestamp: Number.NaN }, [NOW], null, 'x']) {
      expect(verdict(body), JSON.stringify(body)).toMatch(/^400 CASCADE_WEBHOOK_MALFORMED: malformed delivery: timestamp \(epoch milliseconds\) is required/);
    }
  });
});
