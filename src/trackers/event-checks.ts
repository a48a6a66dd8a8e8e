// The shape checks of events and queued deliveries for the trackers in the
// registry, compiled once (again when a tracker is registered later).
import { compileEventChecks, type EventChecks, type QueuedDelivery } from '../records/event-schema.js';
import type { NormalisedEvent } from '../records/normalised-event.js';
import { TRACKER_IDS } from './registry.js';

let compiled: { count: number; checks: EventChecks } | undefined;

function checks(): EventChecks {
  // Registering only ever adds a tracker: the count tells when to compile again, at no cost per delivery.
  if (compiled?.count !== TRACKER_IDS.length) compiled = { count: TRACKER_IDS.length, checks: compileEventChecks(TRACKER_IDS) };
  return compiled.checks;
}

export const isNormalisedEvent = (value: unknown): value is NormalisedEvent => checks().isNormalisedEvent(value);
export const isEventJob = (value: unknown): value is QueuedDelivery => checks().isEventJob(value);
/** The first reason a value is not a valid event, for the sender's 400. */
export const eventProblem = (value: unknown): string => checks().eventProblem(value);
