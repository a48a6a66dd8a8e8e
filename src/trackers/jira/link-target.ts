// `/cascade link` on Jira: the parent a ticket can take is exactly one
// hierarchy level above it (a story's epic); a suggested initiative gives its
// first epic. Found by key, or by summary among the issues of that level.
import { closestNames, type LinkLookup, type LinkWanted } from '../../commands/link-target.js';
import type { TicketSnapshot } from '../../strategy/types.js';
import { normaliseName } from '../../strategy/strategy-index.js';
import type { TicketState } from '../tracker.js';
import type { JiraApi } from './jira-api.js';

export interface JiraLinkReads {
  api: JiraApi;
  fetchTicket(idOrKey: string): Promise<TicketState | null>;
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,9}-\d+$/;

export async function findJiraLink(reads: JiraLinkReads, ticket: TicketSnapshot, wanted: LinkWanted): Promise<LinkLookup> {
  if (wanted.kind === 'label') return { found: { kind: 'label', name: wanted.name }, lineage: { project: null, parents: ticket.parents, labels: [...ticket.labels, wanted.name] } };
  if (wanted.kind === 'project' || wanted.kind === 'initiative') return { found: null, ambiguous: false, closest: [] }; // Linear's words
  const types = await reads.api.issueTypes();
  const levelOf = (name: string | undefined): number => types.find((t) => normaliseName(t.name ?? '') === normaliseName(name ?? ''))?.hierarchyLevel ?? 0;
  const want = levelOf(ticket.issueType) + 1;
  const name = wanted.name.trim();
  if (ISSUE_KEY.test(name)) {
    const target = await reads.fetchTicket(name.toUpperCase());
    if (!target) return { found: null, ambiguous: false, closest: [] };
    const level = levelOf(target.ticket.issueType);
    if (level === want) return parentLookup(ticket, target);
    if (level === want + 1) {
      // An initiative: its first epic (by key) is one step from the ticket.
      const children = await reads.api.search(`parent = ${target.ticket.key} ORDER BY key ASC`, ['issuetype', 'summary']);
      const first = (children.issues ?? []).find((i) => levelOf(i.fields?.issuetype?.name) === want);
      const epic = first ? await reads.fetchTicket(first.key) : null;
      if (epic) return parentLookup(ticket, epic);
      return { found: null, ambiguous: false, closest: [], reason: `${target.ticket.key} is ${article(target.ticket.issueType)} with no ${typeNames(types, want)} under it to put ${ticket.key} in.` };
    }
    return { found: null, ambiguous: false, closest: [], reason: `${target.ticket.key} is ${article(target.ticket.issueType)}; Jira takes as the parent of ${ticket.key} (${article(ticket.issueType)}) only ${article(typeNames(types, want))}, one level up.` };
  }
  const names = types.filter((t) => (t.hierarchyLevel ?? 0) === want).map((t) => `"${t.name ?? ''}"`);
  if (names.length === 0) return { found: null, ambiguous: false, closest: [] };
  const page = await reads.api.search(`issuetype in (${names.join(', ')}) AND statusCategory != Done ORDER BY key ASC`, ['summary', 'issuetype']);
  const candidates = (page.issues ?? []).map((i) => ({ key: i.key, summary: i.fields?.summary ?? '' }));
  const exact = candidates.filter((c) => normaliseName(c.summary) === normaliseName(name));
  const matches = exact.length > 0 ? exact : candidates.filter((c) => normaliseName(c.summary).includes(normaliseName(name)));
  if (matches.length === 1) {
    const epic = await reads.fetchTicket(matches[0]!.key);
    if (epic) return parentLookup(ticket, epic);
  }
  const label = (c: { key: string; summary: string }): string => `${c.key} ${c.summary}`;
  if (matches.length > 1) return { found: null, ambiguous: true, closest: matches.slice(0, 3).map(label) };
  const closest = closestNames(name, candidates.map((c) => c.summary));
  return { found: null, ambiguous: false, closest: closest.map((summary) => label(candidates.find((c) => c.summary === summary)!)) };
}

function parentLookup(ticket: TicketSnapshot, parent: TicketState): LinkLookup {
  const p = parent.ticket;
  return {
    found: { kind: 'parent', id: p.id, key: p.key, name: p.title },
    lineage: { project: null, labels: ticket.labels, parents: [{ id: p.id, key: p.key, title: p.title, labels: p.labels, ...(p.issueType ? { issueType: p.issueType } : {}) }, ...p.parents] },
  };
}

const article = (type: string | undefined): string => (type ? `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}` : 'an issue');

function typeNames(types: Array<{ name?: string; hierarchyLevel?: number }>, level: number): string {
  return types.filter((t) => (t.hierarchyLevel ?? 0) === level).map((t) => t.name ?? '').join(' or ') || 'issue';
}
