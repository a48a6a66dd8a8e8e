// The review with the forecast report beside it: each objective ending soon carries
// its forecast, and the report's lists (every forecast, capacity per team, finished-work
// allocation and its drift alerts, customer demand, health flags) come along. Pure.
import type { Review, ReviewNode } from './review.js';
import type { AllocationView, DemandedTheme, DemandView, ForecastReport, ForecastView, HealthFlag, NodeForecast, TeamCapacityView } from '../forecast/forecast-report.js';

export interface ReviewWithForecasts extends Omit<Review, 'endingSoon'> {
  endingSoon: Array<ReviewNode & { forecast?: ForecastView }>;
  /** When the forecasts were computed (null: not yet, e.g. right after the first start). */
  forecastsComputedAt: string | null;
  /** Every active objective with an end date of its own, soonest end first. */
  forecasts: NodeForecast[];
  capacity: TeamCapacityView[];
  allocation: AllocationView[];
  /** Nodes whose drift alert is up (out of band for 3 weeks). */
  driftAlerts: AllocationView[];
  demand: DemandView[];
  healthFlags: HealthFlag[];
  /** Candidate objectives from below: orphan themes with requests from 3 or more customers (beside the teams' proposals). */
  demandedThemes: DemandedTheme[];
}

export function withForecasts(review: Review, report: ForecastReport | null): ReviewWithForecasts {
  const byId = new Map((report?.forecasts ?? []).map((f) => [f.id, f.forecast]));
  return {
    ...review,
    endingSoon: review.endingSoon.map((n) => {
      const forecast = byId.get(n.id);
      return forecast ? { ...n, forecast } : n;
    }),
    forecastsComputedAt: report?.computedAt ?? null,
    forecasts: report?.forecasts ?? [],
    capacity: report?.capacity ?? [],
    allocation: report?.allocation ?? [],
    driftAlerts: (report?.allocation ?? []).filter((a) => a.driftAlert),
    demand: report?.demand ?? [],
    healthFlags: report?.healthFlags ?? [],
    demandedThemes: report?.demandedThemes ?? [],
  };
}

/** The report again, from a review answer (for `cascade review`, which words it as the digest's text does). */
export function reportOfReview(review: ReviewWithForecasts): ForecastReport {
  return {
    computedAt: review.forecastsComputedAt ?? '', isoWeek: '', today: review.today, timeZone: '',
    forecasts: review.forecasts, capacity: review.capacity, allocation: review.allocation, demand: review.demand, healthFlags: review.healthFlags, demandedThemes: review.demandedThemes ?? [],
  };
}
