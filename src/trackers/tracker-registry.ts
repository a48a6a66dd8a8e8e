// The adapters in use, by tracker id (only those with credentials).
import type { TrackerId } from '../strategy/types.js';
import type { Tracker } from './tracker.js';

export type TrackerRegistry = Partial<Record<TrackerId, Tracker>>;
