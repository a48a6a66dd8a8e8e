// What a workspace says beside its tickets, as plain records: customer
// requests (Linear's customer needs) and the health people report on projects
// and initiatives in their updates. Read by optional Tracker verbs, kept by
// src/store/workspace-signals-store.ts for the forecasts and the review.
import type { TrackerId } from '../strategy/types.js';

export interface CustomerRef {
  id: string;
  name: string;
  /** Annual revenue as the tracker holds it; null when unknown. */
  revenue: number | null;
  /** Tier name (Linear's CustomerTier); null when none. */
  tier: string | null;
}

/**
 * One customer request. On Linear a request on an issue also names the issue's
 * project (Linear denormalises it): count it for the ticket when `ticketId` is
 * set, for the project only when it is not.
 */
export interface CustomerDemand {
  tracker: TrackerId;
  /** The request's own id (Linear CustomerNeed id). */
  needId: string;
  ticketId: string | null;
  projectId: string | null;
  /** Linear: 1 important, 0 not. */
  priority: number;
  customer: CustomerRef;
}

/** Jira: the number a site keeps in its customer field (rules.customer_field) on a ticket, when above zero. */
export interface FieldDemand {
  tracker: TrackerId;
  ticketId: string;
  key: string;
  /** The field it came from (customfield_NNNNN). */
  field: string;
  value: number;
}

export type HealthWord = 'onTrack' | 'atRisk' | 'offTrack';

/** The health the latest update of a Linear project or initiative reports (none until a first update). */
export interface ReportedHealth {
  tracker: TrackerId;
  kind: 'project' | 'initiative';
  id: string;
  name: string;
  health: HealthWord;
}
