// What the tracker conformance suite needs from each sandbox: a real adapter
// talking to a real local server, and a way to set up and inspect tickets.
import type { Tracker } from '../../src/trackers/tracker.js';

export interface HarnessTicketSpec {
  title: string;
  description?: string;
  labels?: string[];
  /** id/key of a parent ticket created earlier through the harness. */
  parent?: string;
  closed?: boolean;
  /** ISO 8601: done (closed) at this time, as the tracker dates it (Linear completedAt, Jira resolutiondate). */
  doneAt?: string;
}

export interface TrackerHarness {
  tracker: Tracker;
  /** Create a ticket in the sandbox (in an in-scope team/project); returns what fetchTicket takes. */
  createTicket(spec: HarnessTicketSpec): Promise<string>;
  /** Label names currently on the ticket, straight from the sandbox. */
  labelsOf(ref: string): Promise<string[]>;
  /** Comments on the ticket, straight from the sandbox, with the author's account id. */
  commentsOf(ref: string): Promise<Array<{ id: string; authorId: string; text: string }>>;
  /** A person (not the bot) edits the ticket's labels directly in the sandbox. */
  setLabelsAsPerson(ref: string, labels: string[]): Promise<void>;
  /** HTTP requests the adapter has made to the sandbox so far. */
  requestCount(): number;
  /** Make the sandbox answer the next `times` requests with a rate-limit answer (Retry-After seconds). */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}
