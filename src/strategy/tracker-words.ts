// How Cascade's sentences name one tracker's things, as plain data that each
// tracker's descriptor supplies (src/trackers/<id>/words.ts). The core composes
// comments, answers and refusals with them and never asks which tracker it is:
// the caller takes them from the registry and passes them in.
import type { MatchKey } from './match-keys.js';
import type { TicketSnapshot } from './types.js';

/** A suggestion's link as the config names it (Suggestion['links'][number], without the core's import cycle). */
export interface LinkName {
  kind: 'project' | 'initiative' | 'issue' | 'label';
  name: string;
}

export interface TrackerWords {
  /** A parent ticket as a link target: `the issue ENG-5 "SSO"`, `ENT-2 "SAML SSO"`. */
  parentTarget(key: string, name: string): string;
  /** The move that puts a ticket under a parent (`target` from parentTarget): `make it a sub-issue of …`. */
  moveUnder(target: string): string;
  /** The same move, done: `made a sub-issue of …`. */
  movedUnder(target: string): string;
  /** What `/cascade link <name>` takes under an objective: `project`, `epic`. */
  linkContainer: string;
  /** How a suggestion's `issue` link reads: `issue`, `parent`. */
  issueLink: string;
  /** Who may edit a ticket, for a refusal: `members of the team of ENG-1 (guests outside it cannot)`. */
  editors(ticketKey: string): string;
  /** Whether its tickets have issue types, so rules.exempt.issue_types is worth telling its readers. */
  issueTypes: boolean;
  /** Where the ticket's chain to the strategy tree breaks, for the orphan comment: `it has no parent issue and no project.` */
  breakPoint(ticket: TicketSnapshot): string;
  /** How to fix an orphan by hand, from the first suggestion's first link (if any). */
  fixHint(first: LinkName | undefined): string;
  /** One of its match entries in the tree's summary (`cascade validate`, the start-up log): `project "SSO"`. */
  matchEntry(key: MatchKey, value: string): string;
}
