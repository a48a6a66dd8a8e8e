// The one seam between credentials and adapters: the environment's credentials
// make the default installation of each tracker that has them, and a job or an
// event obtains its adapter by its installation reference.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import { DEFAULT_INSTALLATION, defaultInstallations, trackerFor } from '../../src/trackers/installations.js';

const logger = pino({ level: 'silent' });

describe('installations', () => {
  it("builds the default installation of each tracker with credentials, once, and answers it for the tracker's jobs", () => {
    const trackers = defaultInstallations(readEnvironment({ LINEAR_API_KEY: 'lin_api_test' }), logger);
    const linear = trackerFor(trackers, { tracker: 'linear' });
    expect(linear?.id).toBe('linear');
    expect(trackerFor(trackers, { tracker: 'linear', installation: DEFAULT_INSTALLATION })).toBe(linear);
    expect(trackerFor(trackers, { tracker: 'jira' })).toBeUndefined();
  });

  it('answers no adapter for an installation it has no credentials for', () => {
    const trackers = defaultInstallations(readEnvironment({ LINEAR_API_KEY: 'lin_api_test' }), logger);
    expect(trackerFor(trackers, { tracker: 'linear', installation: 'another-workspace' })).toBeUndefined();
  });
});
