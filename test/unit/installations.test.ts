// The one seam between credentials and adapters: the environment's credentials
// make the default installation of each tracker that has them, and a job or an
// event obtains its adapter by its installation reference.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { readEnvironment } from '../../src/config/environment.js';
import { DEFAULT_INSTALLATION, defaultInstallations, teamInReach, teamsAfter, trackerFor } from '../../src/trackers/installations.js';

const logger = pino({ level: 'silent' });

describe('installations', () => {
  it("builds the default installation of each tracker with credentials, once, and answers it for the tracker's jobs", async () => {
    const trackers = defaultInstallations(readEnvironment({ LINEAR_API_KEY: 'lin_api_test' }), logger);
    const linear = await trackerFor({ trackers }, { tracker: 'linear' });
    expect(linear?.id).toBe('linear');
    expect(await trackerFor({ trackers }, { tracker: 'linear', installation: DEFAULT_INSTALLATION })).toBe(linear);
    expect(await trackerFor({ trackers }, { tracker: 'jira' })).toBeUndefined();
  });

  it('answers no adapter for an installation it has no credentials for', async () => {
    const trackers = defaultInstallations(readEnvironment({ LINEAR_API_KEY: 'lin_api_test' }), logger);
    expect(await trackerFor({ trackers }, { tracker: 'linear', installation: 'another-workspace' })).toBeUndefined();
  });

  it('keeps a team an admin took away out of reach until it is granted again', () => {
    const narrowed = teamsAfter(undefined, { addedTeamIds: [], removedTeamIds: ['team-b'] });
    expect(teamInReach(narrowed, 'team-a')).toBe(true);
    expect(teamInReach(narrowed, 'team-b')).toBe(false);
    const named = teamsAfter(narrowed, { addedTeamIds: ['team-b'], removedTeamIds: [], allPublic: false });
    expect(teamInReach(named, 'team-b')).toBe(true);
    expect(teamInReach(named, 'team-a')).toBe(false);
    expect(teamInReach(undefined, 'team-a')).toBe(true);
  });
});
