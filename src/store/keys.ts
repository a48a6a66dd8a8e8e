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
  delivery(tracker: string, deliveryId: string): string;
  verdicts: string;
  snapshots: string;
  digests: string;
  sweepProgress(sweepId: string): string;
  proposals: string;
  exemptions: string;
  commandReplies: string;
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
    delivery: (tracker, deliveryId) => `${prefix}:delivery:${tracker}:${deliveryId}`,
    verdicts: `${prefix}:verdicts`,
    snapshots: `${prefix}:digest:snapshots`,
    digests: `${prefix}:digest:weeks`,
    sweepProgress: (id) => `${prefix}:sweep:${id}`,
    proposals: `${prefix}:proposals`,
    exemptions: `${prefix}:exemptions`,
    commandReplies: `${prefix}:command-replies`,
  };
}
