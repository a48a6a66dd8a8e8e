// A project's or initiative's own latest update against the forecast: "on track" said
// by people while the numbers say it will not land is the thing a review must see.
import type { ForecastStatus } from './types.js';

/** Linear's project/initiative update health. */
export type ReportedHealth = 'onTrack' | 'atRisk' | 'offTrack';

export interface HealthCheck {
  reported: ReportedHealth | null;
  forecast: ForecastStatus;
  /** Reported on track while the forecast says off track. */
  flagged: boolean;
}

/**
 * Only "on track" against "off track" is flagged: "at risk" either way is a matter of
 * degree, and a `low data` forecast is not firm enough to contradict a person.
 */
export function checkReportedHealth(reported: ReportedHealth | null, forecast: ForecastStatus): HealthCheck {
  return { reported, forecast, flagged: reported === 'onTrack' && forecast === 'off track' };
}
