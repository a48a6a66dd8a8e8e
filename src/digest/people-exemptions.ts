// How many tickets people exempted this week with `/cascade exempt`, per team,
// and their most frequent reasons: shown beside the headline share, because an
// exempted ticket leaves the share's denominator and a team could otherwise
// raise its number quietly. Pure: the exemptions and the week's bounds in.
import type { Exemption } from '../commands/exemption.js';
import type { TrackerId } from '../strategy/types.js';

export interface TeamExemptions {
  tracker: TrackerId;
  /** Linear team or Jira project key; "(no team)" when the record did not say. */
  team: string;
  /** Tickets people exempted this week (still exempt when the digest was computed). */
  count: number;
  /** Most frequent first, at most three; reasons are compared without case or surrounding space (the first spelling in code-point order is shown). */
  reasons: Array<{ reason: string; count: number }>;
}

export interface PeopleExemptions {
  /** All teams together. */
  total: number;
  teams: TeamExemptions[];
}

const TOP_REASONS = 3;
export const RESTRICTED_REASON = '(in a restricted comment)';

export function peopleExemptions(exemptions: Iterable<{ tracker: TrackerId; exemption: Exemption }>, weekStart: number, weekEnd: number): PeopleExemptions {
  const byTeam = new Map<string, { tracker: TrackerId; team: string; count: number; reasons: Map<string, { reason: string; count: number }> }>();
  let total = 0;
  for (const { tracker, exemption } of exemptions) {
    const at = Date.parse(exemption.at);
    if (!(at >= weekStart && at < weekEnd)) continue;
    total += 1;
    const team = exemption.team ?? exemption.key?.replace(/-\d+$/, '') ?? '(no team)';
    const key = `${tracker}:${team}`;
    const row = byTeam.get(key) ?? { tracker, team, count: 0, reasons: new Map() };
    byTeam.set(key, row);
    row.count += 1;
    // A reason written in a restricted Jira comment is counted, never quoted: the digest reaches more people.
    const spelled = exemption.restricted ? RESTRICTED_REASON : exemption.reason.trim();
    const reasonKey = spelled.toLowerCase();
    const reason = row.reasons.get(reasonKey) ?? { reason: spelled, count: 0 };
    row.reasons.set(reasonKey, reason);
    reason.count += 1;
    // One spelling for the reason whatever order the records come in.
    if (spelled < reason.reason) reason.reason = spelled;
  }
  const teams = [...byTeam.values()]
    .map((row) => ({
      tracker: row.tracker,
      team: row.team,
      count: row.count,
      reasons: [...row.reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, TOP_REASONS),
    }))
    .sort((a, b) => b.count - a.count || a.team.localeCompare(b.team));
  return { total, teams };
}

/** One line per team, for the text and Slack digests: `ENG: 3 (support rotation ×2, vendor work)`. */
export function teamExemptionLine(row: TeamExemptions): string {
  const reasons = row.reasons.map((r) => (r.count > 1 ? `${r.reason} ×${r.count}` : r.reason)).join(', ');
  return `${row.team}: ${row.count} exempted${reasons ? ` (${reasons})` : ''}`;
}
