// An exemption a person set with `/cascade exempt`, and the rules that bound
// it (PRODUCT.md "Governance"): it ends on the day the person gave or after
// `rules.exemptions.max_days`, whichever comes first, and it is suspended
// while `rules.commands` is false. Pure: the record, the rules and the time in.
import type { ResolvedRules } from '../strategy/tree-schema.js';
import type { PersonExemption } from '../strategy/decide-verdict.js';
import type { TrackerId } from '../strategy/types.js';

export interface Exemption {
  reason: string;
  /** Who set it (display name), as the tracker's webhook names them. */
  person: string;
  /** Their account (Linear user id, Jira accountId); absent in records from before it was kept. */
  personId?: string;
  /** YYYY-MM-DD as the person wrote it: lapses at the start of that day (UTC); null: no date given. */
  until: string | null;
  /** ISO 8601: when it was set. */
  at: string;
  /** The ticket's key and team when it was set, for the admin list and the digest. */
  key?: string;
  team?: string;
  /** Set in a comment only some can see (Jira visibility): Cascade's comment does not quote the reason. */
  restricted?: boolean;
}

/** What GET /admin/exemptions answers for one exemption. */
export interface ListedExemption {
  tracker: TrackerId;
  ticket: string;
  key: string;
  team: string | null;
  reason: string;
  person: { id: string | null; name: string };
  at: string;
  /** The day it ends (the earlier of the person's date and `max_days` after it was set). */
  until: string;
  source: 'command';
  /** True while `rules.commands` is false: kept, listed, not applied. */
  suspended: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The day the exemption ends: the person's date, or the day after `maxDays`
 * have passed since it was set, whichever is earlier. It lapses at that day's
 * start (UTC), so it holds at least `maxDays` days.
 */
export function exemptionEnds(exemption: Pick<Exemption, 'until' | 'at'>, maxDays: number): string {
  const longest = new Date(Date.parse(exemption.at) + (maxDays + 1) * DAY_MS).toISOString().slice(0, 10);
  return exemption.until !== null && exemption.until < longest ? exemption.until : longest;
}

/** The exemption as the verdict applies it now, or null: suspended (`rules.commands: false`) or ended. */
export function exemptionInForce(exemption: Exemption | null, rules: Pick<ResolvedRules, 'commands' | 'exemptions'>, now: Date): PersonExemption | null {
  if (!exemption || !rules.commands) return null;
  const until = exemptionEnds(exemption, rules.exemptions.maxDays);
  if (now.getTime() >= Date.parse(`${until}T00:00:00.000Z`)) return null;
  return { reason: exemption.reason, person: exemption.person, until };
}

/** Whether the exemption has ended by `now` (suspension aside): the check forgets it then. */
export function exemptionEnded(exemption: Exemption, maxDays: number, now: Date): boolean {
  return now.getTime() >= Date.parse(`${exemptionEnds(exemption, maxDays)}T00:00:00.000Z`);
}

export function listedExemption(tracker: TrackerId, ticket: string, exemption: Exemption, rules: Pick<ResolvedRules, 'commands' | 'exemptions'>): ListedExemption {
  return {
    tracker,
    ticket,
    key: exemption.key ?? ticket,
    team: exemption.team ?? null,
    reason: exemption.reason,
    person: { id: exemption.personId ?? null, name: exemption.person },
    at: exemption.at,
    until: exemptionEnds(exemption, rules.exemptions.maxDays),
    source: 'command',
    suspended: !rules.commands,
  };
}
