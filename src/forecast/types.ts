// The plain data the forecasts work on. Adapters and stores translate into these;
// nothing here knows about Redis, HTTP or a tracker's API shapes.

/** The verdict a ticket had when it closed ("pending" and "closed" never close a record). */
export type CloseVerdict = 'aligned' | 'orphan' | 'stale' | 'exempt';

/** One finished ticket, as kept when it closed. */
export interface CompletionRecord {
  key: string;
  /** Linear team key or Jira project key. */
  team: string;
  /** ISO 8601 instant the ticket was done (Linear completedAt, Jira resolutiondate). */
  doneAt: string;
  verdict: CloseVerdict;
  /** The strategy nodes on its lineage when it closed (objective, theme, goal…); empty for orphans. */
  nodeIds: readonly string[];
  estimate?: number | null;
}

/** One ticket created, with the lineage it has now (empty when unknown or orphan). */
export interface CreatedEvent {
  key: string;
  team: string;
  /** ISO 8601 instant. */
  createdAt: string;
  nodeIds: readonly string[];
}

/** An open ticket under an objective. Lists of them are in the trackers' rank order. */
export interface OpenTicket {
  key: string;
  team: string;
  estimate?: number | null;
}

/** The word a forecast gives; `low data` when the history is too thin to trust. */
export type ForecastStatus = 'on track' | 'at risk' | 'off track' | 'low data';

/** The word the probability alone gives. */
export type Outlook = Exclude<ForecastStatus, 'low data'>;
