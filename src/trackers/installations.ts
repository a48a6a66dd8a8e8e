// Which adapter serves an installation of a tracker: the one function checks,
// sweeps, routes and workers obtain a Tracker through, and the one place the
// credentials are turned into adapters. Today each tracker has one installation,
// the default, whose credentials come from the environment and whose adapter is
// built at start-up and reused; app installs with per-workspace credentials add
// theirs here, as Probot's getAuthenticatedOctokit(installationId) builds a
// client for the installation an event belongs to.
import type { Logger } from 'pino';
import type { TrackerId } from '../strategy/types.js';
import type { TrackerEnv } from './descriptor.js';
import type { Tracker } from './tracker.js';
import type { TrackerRegistry } from './tracker-registry.js';
import { TRACKER_IDS, TRACKERS } from './registry.js';

/** The installation of a tracker whose credentials are in the environment. */
export const DEFAULT_INSTALLATION = 'default';

/** What a job or an event carries to say whose tracker it concerns. */
export interface InstallationRef {
  tracker: TrackerId;
  /** Absent: the default installation. */
  installation?: string;
}

/** The adapter for the installation, or none when it has no credentials. */
export function trackerFor(trackers: TrackerRegistry, ref: InstallationRef): Tracker | undefined {
  // Only the default installation exists yet: another is unknown, like a tracker without credentials.
  if ((ref.installation ?? DEFAULT_INSTALLATION) !== DEFAULT_INSTALLATION) return undefined;
  return trackers[ref.tracker];
}

/** The default installation's adapter of every tracker that has credentials in the environment. */
export function defaultInstallations(env: { trackers: Partial<Record<TrackerId, TrackerEnv>> }, logger: Logger): TrackerRegistry {
  const registry: TrackerRegistry = {};
  for (const id of TRACKER_IDS) {
    const credentials = env.trackers[id]?.credentials;
    if (credentials !== undefined) registry[id] = TRACKERS[id].create(credentials, logger);
  }
  return registry;
}
