// Traces a ticket up its ancestry to the strategy tree. Pure: the snapshot and
// the compiled tree in, every path found (and, on request, a readable trace)
// out. Hostile data (cycles, absurd depth, missing fields) ends the walk with a
// note, never a throw. What is matched on each hop follows the keys the
// ticket's tracker's part of `match` holds (match-keys.ts): labels, its key up
// the parent chain (`issues`), its project and the initiatives above it.
//
// The walk allocates nothing per hop unless something matches or a trace was
// asked for: it runs for every check and every ticket of a sweep.
import type { AncestorTicket, InitiativeRef, ProjectRef, TicketSnapshot, TrackerId } from './types.js';
import { nodeStateAt, normaliseKey, normaliseName, type MatchTarget, type NodeState, type StrategyIndex, type TrackerMatch } from './strategy-index.js';
import type { MatchKey } from './match-keys.js';
import { INITIATIVE_DEPTH, PARENT_DEPTH } from './limits.js';
import { safeLabels } from './safe-labels.js';

/** The config entry that matched: `<tracker>.<key>`, e.g. `jira.issues`. */
export type MatchRule = `${TrackerId}.${MatchKey}`;

export interface LineagePath {
  /** The hops from the ticket to the matched entity, e.g. ["ENG-12", "ENG-5", "project SSO"]. */
  via: string[];
  rule: MatchRule;
  /** The config's spelling of the matched entry. */
  value: string;
  /** The matched node and its ancestors, nearest first, ending at the root objective (shared: do not mutate). */
  nodeIds: readonly string[];
  state: NodeState;
}

export interface Lineage {
  paths: LineagePath[];
  /** One line per hop (only when asked for): what was looked at, what matched, where the chain broke. */
  trace: string[] | null;
}

/** A tracker with no part of `match`: nothing matches its tickets. */
const NO_MATCH: TrackerMatch = {};

interface Walk {
  index: StrategyIndex;
  tracker: TrackerId;
  /** The ticket's tracker's lookups. */
  match: TrackerMatch;
  now: Date;
  paths: LineagePath[];
  trace: string[] | null;
  /** Tickets, projects and initiatives visited (an array: chains are short, and a Set costs more). */
  seen: string[];
  /** The hops so far; copied only when a path is recorded. */
  via: string[];
}

export function resolveLineage(index: StrategyIndex, ticket: TicketSnapshot, now: Date, options: { trace?: boolean } = {}): Lineage {
  const walk: Walk = { index, tracker: ticket.tracker, match: index.match[ticket.tracker] ?? NO_MATCH, now, paths: [], trace: options.trace ? [] : null, seen: [], via: [] };
  const parents = Array.isArray(ticket.parents) ? ticket.parents : [];
  const self: AncestorTicket = { id: ticket.id, key: ticket.key, labels: safeLabels(ticket.labels), issueType: ticket.issueType, project: ticket.project };
  for (let depth = 0; depth <= parents.length; depth++) {
    const hop = depth === 0 ? self : parents[depth - 1];
    if (!hop || typeof hop.key !== 'string') {
      walk.trace?.push(`the chain breaks after ${walk.via.join(' → ') || ticket.key}: an ancestor has no key`);
      break;
    }
    // Deeper chains are cut with a note in the trace.
    if (depth > PARENT_DEPTH) {
      walk.trace?.push(`stopped at ${hop.key}: more than ${PARENT_DEPTH} parent levels`);
      break;
    }
    if (walk.seen.includes(hop.key)) {
      walk.trace?.push(`stopped at ${hop.key}: the parent chain loops back to it`);
      break;
    }
    walk.seen.push(hop.key);
    if (depth > 0) walk.trace?.push(`${walk.via[depth - 1]} has parent ${hop.key}`);
    walk.via.push(hop.key);
    checkTicketHop(walk, hop);
  }
  if (walk.paths.length === 0) {
    const last = walk.via[walk.via.length - 1] ?? ticket.key;
    walk.trace?.push(`no lineage: the chain ends at ${last}, which has no parent${walk.match.projects ? ' and no project' : ''} that the strategy tree matches`);
  }
  return { paths: walk.paths, trace: walk.trace };
}

function checkTicketHop(walk: Walk, hop: AncestorTicket): void {
  const labels = Array.isArray(hop.labels) ? hop.labels : [];
  const { labels: labelMap, issues } = walk.match;
  let matched = false;
  if (labelMap && labelMap.size > 0) {
    for (const label of labels) {
      if (typeof label !== 'string') continue;
      const target = labelMap.get(normaliseName(label));
      if (target) matched = addPath(walk, null, 'labels', target, `label "${label}" on ${hop.key}`);
    }
  }
  if (issues) {
    const target = issues.get(normaliseKey(hop.key));
    if (target) matched = addPath(walk, null, 'issues', target, `${hop.key} is listed`) || matched;
  }
  if (!matched && walk.trace) {
    const names = safeLabels(labels);
    walk.trace.push(`${hop.key}: ${names.length ? `labels [${names.join(', ')}] match no node` : 'no labels'}${issues ? ', key not in the tree' : ''}`);
  }
  if (walk.match.projects || walk.match.initiatives) {
    if (hop.project && typeof hop.project === 'object') checkProject(walk, hop.project);
    else walk.trace?.push(`${hop.key}: no project`);
  }
}

function checkProject(walk: Walk, project: ProjectRef): void {
  if (walk.seen.includes(project.id)) return; // already traced from a nearer hop
  walk.seen.push(project.id);
  const name = typeof project.name === 'string' ? project.name : '(unnamed)';
  const target = lookup(walk.match.projects, project.id, name);
  const extra = [`project ${name}`];
  if (target) addPath(walk, extra, 'projects', target, `project "${name}"`);
  const initiatives = Array.isArray(project.initiatives) ? project.initiatives : [];
  if (!target) walk.trace?.push(`project "${name}" matches no node${initiatives.length ? '' : ' and belongs to no initiative'}`);
  for (const initiative of initiatives) checkInitiative(walk, initiative, extra, 0);
}

function checkInitiative(walk: Walk, initiative: InitiativeRef | null | undefined, extra: string[], depth: number): void {
  if (!initiative || typeof initiative !== 'object') return;
  const name = typeof initiative.name === 'string' ? initiative.name : '(unnamed)';
  if (depth >= INITIATIVE_DEPTH) {
    walk.trace?.push(`stopped at initiative "${name}": more than ${INITIATIVE_DEPTH} initiative levels`);
    return;
  }
  if (walk.seen.includes(initiative.id)) {
    if (depth > 0) walk.trace?.push(`stopped at initiative "${name}": the initiative chain loops back to it`);
    return;
  }
  walk.seen.push(initiative.id);
  const hopExtra = [...extra, `initiative ${name}`];
  const target = lookup(walk.match.initiatives, initiative.id, name);
  if (target) addPath(walk, hopExtra, 'initiatives', target, `initiative "${name}"`);
  else walk.trace?.push(`initiative "${name}" matches no node${initiative.parent ? '' : ' and has no parent initiative'}`);
  checkInitiative(walk, initiative.parent, hopExtra, depth + 1);
}

function lookup(map: Map<string, MatchTarget> | undefined, id: unknown, name: string): MatchTarget | undefined {
  if (!map || map.size === 0) return undefined;
  return (typeof id === 'string' ? map.get(normaliseName(id)) : undefined) ?? map.get(normaliseName(name));
}

function addPath(walk: Walk, extra: string[] | null, key: MatchKey, target: MatchTarget, what: string): boolean {
  const rule: MatchRule = `${walk.tracker}.${key}`;
  const nodeIds = walk.index.nodes.get(target.nodeId)?.chainIds ?? [target.nodeId];
  const state = nodeStateAt(walk.index, target.nodeId, walk.now);
  walk.paths.push({ via: extra ? [...walk.via, ...extra] : [...walk.via], rule, value: target.value, nodeIds, state });
  if (walk.trace) {
    const status = state.state === 'active' ? (state.startsOn ? `upcoming (starts ${state.startsOn}), aligned: planning ahead` : 'active') : state.state === 'retired' ? `retired (${state.nodeId})` : `ended ${state.endedOn} (${state.nodeId})`;
    walk.trace.push(`${what} matches node "${target.nodeId}" by ${rule}: ${nodeIds.join(' → ')}, ${status}`);
  }
  return true;
}
