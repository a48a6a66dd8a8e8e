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
    suggestionExamples: `${prefix}:suggest:examples`,
    written: `${prefix}:written`,
    removals: `${prefix}:removals`,
    budgetWindow: (tracker) => `${prefix}:budget:${tracker}:window`,
    budgetHeld: (tracker) => `${prefix}:budget:${tracker}:held`,
  };
}
