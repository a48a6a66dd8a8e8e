// The verdict of a ticket: plain data in (compiled tree, snapshot, time),
// plain data out. The order of the checks is the product's: closed work is
// only counted, out-of-scope and exempt work is left alone, lineage decides
// the rest, and new tickets get a grace period before anyone is nudged.
import type { TicketSnapshot, Verdict } from './types.js';
import type { StrategyIndex } from './strategy-index.js';
import { normaliseName } from './strategy-index.js';
import { resolveLineage, type LineagePath } from './resolve-lineage.js';

export interface Resolution {
  verdict: Verdict;
  /** One sentence for people: why this verdict. */
  reason: string;
  paths: LineagePath[];
  /** Nodes the ticket serves, nearest first, without repeats (active paths; stale paths when stale). */
  objectiveIds: string[];
  /** For `pending`: when the grace period ends and the ticket should be checked again (ISO 8601). */
  recheckAt?: string;
  /** For `exempt`: what exempted it. */
  exemptBy?: {
    kind: 'scope' | 'label' | 'issue_type' | 'command'; value: string; /** For `command`: who set it. */ by?: string; /** For `command`: YYYY-MM-DD it lapses on. */ until?: string;
    /** For `command`: set in a restricted comment, so the reason is not quoted in public. */ restricted?: boolean;
  };
}

/** An exemption a person set on the ticket with `/cascade exempt` (until: YYYY-MM-DD, lapses at its start, UTC). */
export interface PersonExemption {
  reason: string;
  person: string;
  until: string | null;
  /** Set in a restricted comment (Jira visibility). */
  restricted?: boolean;
}

/** Whether a person's exemption still holds at `now` (it lapses at the start of its end date, UTC). */
export function exemptionHolds(exemption: PersonExemption, now: Date): boolean {
  return exemption.until === null || now.getTime() < Date.parse(`${exemption.until}T00:00:00.000Z`);
}

/** A resolution with the walk told hop by hop, for people who ask why. */
export interface Explanation extends Resolution {
  /** One line per hop of the lineage walk. */
  trace: string[];
}

/** The verdict a check acts on. */
export function decideVerdict(index: StrategyIndex, ticket: TicketSnapshot, now: Date, exemption?: PersonExemption | null): Resolution {
  return verdictOf(index, ticket, now, resolveLineage(index, ticket, now).paths, exemption ?? null);
}

/** The same verdict with its trace: the walk is run with tracing on, which costs more, so only explain asks for it. */
export function explainVerdict(index: StrategyIndex, ticket: TicketSnapshot, now: Date, exemption?: PersonExemption | null): Explanation {
  const { paths, trace } = resolveLineage(index, ticket, now, { trace: true });
  return { ...verdictOf(index, ticket, now, paths, exemption ?? null), trace: trace ?? [] };
}

// Plain literals, no spreads: this runs per check, and bench/lineage.ts is faster with them.
function verdictOf(index: StrategyIndex, ticket: TicketSnapshot, now: Date, paths: LineagePath[], person: PersonExemption | null): Resolution {
  const active = paths.every((p) => p.state.state === 'active') ? paths : paths.filter((p) => p.state.state === 'active');
  const objectiveIds = uniqueNodes(active.length > 0 ? active : paths);
  if (ticket.state === 'closed') {
    return { paths, verdict: 'closed', reason: `${ticket.key} is ${ticket.stateName ?? 'closed'}: counted, not enforced`, objectiveIds };
  }
  const outOfScope = scopeMiss(index, ticket);
  if (outOfScope) {
    return { paths, verdict: 'exempt', reason: outOfScope.reason, objectiveIds, exemptBy: outOfScope.by };
  }
  if (person && exemptionHolds(person, now)) {
    // A person's word on their own ticket wins over the lineage, aligned or not.
    const until = person.until ?? undefined;
    return {
      paths,
      verdict: 'exempt',
      reason: `exempted by ${person.person}${until ? ` until ${until}` : ''}: ${person.reason}`,
      objectiveIds,
      exemptBy: { kind: 'command', value: person.reason, by: person.person, ...(until ? { until } : {}), ...(person.restricted ? { restricted: true } : {}) },
    };
  }
  const exemption = exemptionOf(index, ticket);
  if (exemption) {
    return {
      paths,
      verdict: 'exempt',
      reason: `${exemption.kind === 'label' ? 'label' : 'issue type'} "${exemption.value}" is exempt`,
      objectiveIds,
      exemptBy: exemption,
    };
  }
  if (active.length > 0) {
    const first = active[0]!;
    // The path itself is in `paths`; the sentence stays cheap because every check builds it.
    return { paths, verdict: 'aligned', reason: `serves "${first.nodeIds[first.nodeIds.length - 1]}" through ${first.rule}`, objectiveIds };
  }
  const created = Date.parse(ticket.createdAt);
  const graceEnds = created + index.rules.graceMinutes * 60_000;
  if (Number.isFinite(created) && now.getTime() < graceEnds) {
    return {
      paths,
      verdict: 'pending',
      reason: `created less than ${index.rules.graceMinutes} minutes ago`,
      objectiveIds: [],
      recheckAt: new Date(graceEnds).toISOString(),
    };
  }
  if (paths.length > 0) {
    const first = paths[0]!;
    const why = first.state.state === 'retired' ? `"${first.state.nodeId}" is retired` : first.state.state === 'ended' ? `"${first.state.nodeId}" ended on ${first.state.endedOn}` : '';
    return { paths, verdict: 'stale', reason: `its only lineage is through ${why}`, objectiveIds };
  }
  return { paths, verdict: 'orphan', reason: 'no lineage to any objective', objectiveIds: [] };
}

/** Whether a ticket's team (or project…, as its tracker's rules.scope names it) is inside rules.scope. */
export function inScope(index: StrategyIndex, tracker: TicketSnapshot['tracker'], team: string): boolean {
  const allowed = index.ruleSets.scope[tracker];
  return allowed === undefined || allowed.names.has(normaliseName(team));
}

function scopeMiss(index: StrategyIndex, ticket: TicketSnapshot): { reason: string; by: Resolution['exemptBy'] } | null {
  const team = typeof ticket.team === 'string' ? ticket.team : '';
  const scope = index.ruleSets.scope[ticket.tracker];
  if (!scope || scope.names.has(normaliseName(team))) return null;
  return { reason: `${scope.unit} "${team || 'unknown'}" is outside rules.scope`, by: { kind: 'scope', value: team } };
}

function exemptionOf(index: StrategyIndex, ticket: TicketSnapshot): Resolution['exemptBy'] | null {
  const { exemptLabels, exemptIssueTypes } = index.ruleSets;
  if (exemptLabels.size > 0 && Array.isArray(ticket.labels)) {
    for (const label of ticket.labels) {
      if (typeof label === 'string' && exemptLabels.has(normaliseName(label))) return { kind: 'label', value: label };
    }
  }
  const type = ticket.issueType;
  if (typeof type === 'string' && exemptIssueTypes.has(normaliseName(type))) return { kind: 'issue_type', value: type };
  return null;
}

function uniqueNodes(paths: LineagePath[]): string[] {
  if (paths.length === 0) return [];
  if (paths.length === 1) return paths[0]!.nodeIds.slice();
  const out = new Set<string>();
  for (const path of paths) for (const id of path.nodeIds) out.add(id);
  return [...out];
}
