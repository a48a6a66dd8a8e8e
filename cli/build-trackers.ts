// The adapters for the trackers that have credentials in the environment.
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import { TRACKER_IDS, TRACKERS } from '../src/trackers/registry.js';

export function buildTrackers(env: AppEnv, logger: Logger): TrackerRegistry {
  const registry: TrackerRegistry = {};
  for (const id of TRACKER_IDS) {
    const tracker = TRACKERS[id].create(env, logger);
    if (tracker) registry[id] = tracker;
  }
  return registry;
}
