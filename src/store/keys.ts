// Every Redis key Cascade owns, under one hash-tagged prefix so that a Redis
// Cluster keeps them in one slot (MULTI across them stays legal).
export interface Keys {
  configCurrent: string;
  configCounter: string;
  configVersion(version: number): string;
  configVersions: string;
  invalidationChannel: string;
  inbox: string;
  inboxLock: string;
  /** How many times a mover found its inbox lock gone before its trim (a lapse: another mover may have moved the same entries). */
  inboxLockLapses: string;
  /** Inbox entries that were not a valid delivery, kept (capped) for a person to look at. */
  inboxRejected: string;
  delivery(tracker: string, deliveryId: string): string;
  /** A signed body the receiver took (by its digest), whatever its delivery id: replays are duplicates. */
  deliveredBody(tracker: string, digest: string): string;
  verdicts: string;
  snapshots: string;
  digests: string;
  /** The digest of the week in progress, recomputed for page views (see DigestStore.saveCurrent). */
  digestCurrent: string;
  sweepProgress(sweepId: string): string;
  proposals: string;
  /** The proposals' fields by the time of their last `/cascade propose` (sorted set): the oldest go past the cap. */
  proposalsByTime: string;
  /** Bumped by every change to the proposals, so a grouping knows what it saw. */
  proposalsVersion: string;
  /** The proposals grouped by the worker (hash: full, top). */
  proposalGroups: string;
  exemptions: string;
  commandReplies: string;
  /** When the newest exemption command and the newest answered command on each ticket were written (hash, `tracker:id|what` → stamp). */
  commandOrder: string;
  /** Stream of changes to the linked tickets suggestions learn from. */
  suggestionExamples: string;
  /** What Cascade last wrote on each ticket (hash, tracker:id → JSON). */
  written: string;
  /** Who removed Cascade's label or comment, from webhooks, until a check reads it (hash). */
  removals: string;
  /** New marks of the last hour, per tracker (sorted set by time). */
  budgetWindow(tracker: string): string;
  /** Tickets waiting for budget, per tracker (sorted set by the time they started waiting). */
  budgetHeld(tracker: string): string;
  /** When each waiting ticket's timer is due, per tracker (sorted set by time). */
  budgetDue(tracker: string): string;
  /** Units reserved for a first mark not yet known written, per tracker (hash, ticket → since and unit). */
  budgetReserved(tracker: string): string;
  /** Whether the last worker to start ran as a dry run ('1' or '0'). */
  dryRunSeen: string;
  /** Completion records (hash, tracker:id → JSON) and their done times (sorted set), see CompletionStore. */
  completions: string;
  completionsByDone: string;
  /** Customer requests and reported health, per tracker (hashes, tracker → JSON list), see WorkspaceSignalsStore. */
  customerDemand: string;
  reportedHealth: string;
  fieldDemand: string;
  /** The latest forecast report (JSON), and the drift alert state per node (hash), kept between computations. */
  forecastReport: string;
  forecastDrift: string;
}

export function keysFor(prefix = '{cascade}'): Keys {
  return {
    configCurrent: `${prefix}:config:current`,
    configCounter: `${prefix}:config:counter`,
    configVersion: (v) => `${prefix}:config:v:${v}`,
    configVersions: `${prefix}:config:versions`,
    invalidationChannel: `${prefix}:invalidate`,
    inbox: `${prefix}:inbox`,
    inboxLock: `${prefix}:inbox:lock`,
    inboxLockLapses: `${prefix}:inbox:lock-lapses`,
    inboxRejected: `${prefix}:inbox:rejected`,
    delivery: (tracker, deliveryId) => `${prefix}:delivery:${tracker}:${deliveryId}`,
    deliveredBody: (tracker, digest) => `${prefix}:delivered-body:${tracker}:${digest}`,
    verdicts: `${prefix}:verdicts`,
    snapshots: `${prefix}:digest:snapshots`,
    digests: `${prefix}:digest:weeks`,
    digestCurrent: `${prefix}:digest:current`,
    sweepProgress: (id) => `${prefix}:sweep:${id}`,
    proposals: `${prefix}:proposals`,
    proposalsByTime: `${prefix}:proposals:by-time`,
    proposalsVersion: `${prefix}:proposals:version`,
    proposalGroups: `${prefix}:proposals:groups`,
    exemptions: `${prefix}:exemptions`,
    commandReplies: `${prefix}:command-replies`,
    commandOrder: `${prefix}:command-order`,
    suggestionExamples: `${prefix}:suggest:examples`,
    written: `${prefix}:written`,
    removals: `${prefix}:removals`,
    budgetWindow: (tracker) => `${prefix}:budget:${tracker}:window`,
    budgetHeld: (tracker) => `${prefix}:budget:${tracker}:held`,
    budgetDue: (tracker) => `${prefix}:budget:${tracker}:due`,
    budgetReserved: (tracker) => `${prefix}:budget:${tracker}:reserved`,
    dryRunSeen: `${prefix}:dry-run-seen`,
    completions: `${prefix}:completions`,
    completionsByDone: `${prefix}:completions:by-done`,
    customerDemand: `${prefix}:signals:demand`,
    reportedHealth: `${prefix}:signals:health`,
    fieldDemand: `${prefix}:signals:field-demand`,
    forecastReport: `${prefix}:forecast:report`,
    forecastDrift: `${prefix}:forecast:drift`,
  };
}
