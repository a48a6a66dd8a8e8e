// Reads the outlines of the configured trackers (those that can tell) and
// checks a config's match entries against them, as each tracker's descriptor
// says (src/trackers/<id>/config-outline.ts). A tracker that cannot be read
// gives one warning saying so: the check never blocks a save.
import type { CascadeConfig } from '../strategy/tree-schema.js';
import { checkMatches, type ConfigWarning, type OutlineToCheck } from './check-matches.js';
import type { OutlineOptions, TrackerOutline } from '../strategy/outline.js';
import type { TrackerId } from '../strategy/types.js';
import { TRACKER_IDS, TRACKERS } from '../trackers/registry.js';

/** The slice of a tracker this needs (the optional `outline` verb of the Tracker interface). */
export interface OutlineSource {
  outline?(options?: OutlineOptions): Promise<TrackerOutline>;
}

export interface TrackerCheck {
  warnings: ConfigWarning[];
  /** Trackers that could not be read, with the reason. */
  unchecked: Array<{ tracker: TrackerId; reason: string }>;
}

export async function trackerWarnings(config: CascadeConfig, trackers: Partial<Record<TrackerId, OutlineSource>>): Promise<TrackerCheck> {
  const unchecked: TrackerCheck['unchecked'] = [];
  const read = async (id: TrackerId): Promise<OutlineToCheck | undefined> => {
    const tracker = trackers[id];
    const parts = TRACKERS[id].outline;
    if (!tracker?.outline || !parts) return undefined;
    try {
      return { tracker: id, outline: await tracker.outline(parts.readOptions?.(config)), checks: parts.matchChecks };
    } catch (err) {
      unchecked.push({ tracker: id, reason: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  };
  const outlines = await Promise.all(TRACKER_IDS.map(read));
  return { warnings: checkMatches(config, outlines.filter((o) => o !== undefined)), unchecked };
}
