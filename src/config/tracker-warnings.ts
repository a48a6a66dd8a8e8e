// Reads the outlines of the configured trackers (those that can tell) and
// checks a config's match entries against them. A tracker that cannot be read
// gives one warning saying so: the check never blocks a save.
import type { CascadeConfig } from '../strategy/tree-schema.js';
import { checkMatches, jiraKeysIn, type ConfigWarning } from './check-matches.js';
import type { TrackerOutline } from '../strategy/outline.js';
import type { TrackerId } from '../strategy/types.js';

/** The slice of a tracker this needs (the optional `outline` verb of the Tracker interface). */
export interface OutlineSource {
  outline?(options?: { issueKeys?: string[] }): Promise<TrackerOutline>;
}

export interface TrackerCheck {
  warnings: ConfigWarning[];
  /** Trackers that could not be read, with the reason. */
  unchecked: Array<{ tracker: TrackerId; reason: string }>;
}

export async function trackerWarnings(config: CascadeConfig, trackers: Partial<Record<TrackerId, OutlineSource>>): Promise<TrackerCheck> {
  const unchecked: TrackerCheck['unchecked'] = [];
  const read = async (id: TrackerId, options?: { issueKeys?: string[] }): Promise<TrackerOutline | undefined> => {
    const tracker = trackers[id];
    if (!tracker?.outline) return undefined;
    try {
      return await tracker.outline(options);
    } catch (err) {
      unchecked.push({ tracker: id, reason: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  };
  const [linear, jira] = await Promise.all([read('linear'), read('jira', { issueKeys: jiraKeysIn(config) })]);
  return { warnings: checkMatches(config, { ...(linear ? { linear } : {}), ...(jira ? { jira } : {}) }), unchecked };
}
