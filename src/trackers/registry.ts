// Every tracker Cascade knows, by id, in the manner of Renovate's platform map:
// each folder exports one descriptor (descriptor.ts), and the rest of the product
// iterates this map. A new tracker is its folder and one line here: TrackerId
// (src/strategy/types.ts, which the pure core reads and so cannot import this
// map) is derived from the map's keys below.
import type { TrackerId } from '../strategy/types.js';
import type { TrackerDescriptor } from './descriptor.js';
import { jira } from './jira/descriptor.js';
import { linear } from './linear/descriptor.js';

const BUILT_IN = { linear, jira };

declare module '../strategy/types.js' {
  // The map's ids are the tracker ids the core reads (declaration merging: the members come from the map).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface TrackerIds extends Record<keyof typeof BUILT_IN, true> {}
}

/** Each descriptor under its own id (a descriptor filed under another's id fails the build here). */
const byId: { [Id in TrackerId]: TrackerDescriptor<Id> } = BUILT_IN;

export const TRACKERS: Record<TrackerId, TrackerDescriptor> = { ...byId };

/** The ids of every tracker, in the registry's order. */
export const TRACKER_IDS = Object.keys(TRACKERS) as TrackerId[];

/**
 * Adds a tracker that is not built in, before Cascade starts (queues, routes and
 * workers are made per registered tracker when they start): how a test shows a
 * third tracker needs nothing but its folder and a line above.
 */
export function registerTracker(descriptor: TrackerDescriptor): void {
  const id = descriptor.id as TrackerId;
  if (!TRACKER_IDS.includes(id)) TRACKER_IDS.push(id);
  TRACKERS[id] = descriptor;
}

/** One record per tracker id, built by `make`. */
export function perTracker<T>(make: (id: TrackerId) => T): Record<TrackerId, T> {
  return Object.fromEntries(TRACKER_IDS.map((id) => [id, make(id)])) as Record<TrackerId, T>;
}
