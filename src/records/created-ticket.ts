// A ticket created in the forecasts' window, open or finished: the raw material of
// the demand side of a forecast (src/forecast/), read by src/store/created-history.ts.
import type { TrackerId } from '../strategy/types.js';

export interface CreatedTicket {
  tracker: TrackerId;
  id: string;
  key: string;
  team?: string;
  /** ISO 8601. */
  createdAt: string;
  /** The nodes it serves now (open) or served when it closed (done). */
  objectiveIds: string[];
  state: 'open' | 'done';
}
