// `/cascade link` on Linear: find a project (by id or name), a parent issue
// (by identifier) or an initiative's first project, with the ticket's lineage
// as it would be there; then move it with one `issueUpdate`.
import { closestNames, type LinkLookup, type LinkWanted } from '../../commands/link-target.js';
import type { ProjectRef, TicketSnapshot } from '../../strategy/types.js';
import { normaliseName } from '../../strategy/strategy-index.js';
import type { TicketState } from '../tracker.js';
import type { WorkspaceCache } from './workspace-cache.js';
import type { ProjectIdsNode } from './response-types.js';
import { INITIATIVE_PROJECTS } from './documents.js';

export interface LinearLinkReads {
  cache: WorkspaceCache;
  fetchTicket(idOrKey: string): Promise<TicketState | null>;
  /** Sends a GraphQL document (INITIATIVE_PROJECTS). */
  request<T>(document: string, variables: Record<string, unknown>): Promise<T>;
}

interface InitiativeProjects {
  initiative: { projects: { nodes: Array<{ id: string; name: string; teams: { nodes: Array<{ key: string }> } }> } } | null;
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9]{0,9}-\d+$/;

export async function findLinearLink(reads: LinearLinkReads, ticket: TicketSnapshot, wanted: LinkWanted): Promise<LinkLookup> {
  if (wanted.kind === 'label') return { found: { kind: 'label', name: wanted.name }, lineage: { project: ticket.project ?? null, parents: ticket.parents, labels: [...ticket.labels, wanted.name] } };
  if ((wanted.kind === 'issue' || wanted.kind === 'name') && ISSUE_KEY.test(wanted.name.trim())) {
    const parent = await reads.fetchTicket(wanted.name.trim());
    if (parent && parent.ticket.id !== ticket.id) {
      const p = parent.ticket;
      return {
        found: { kind: 'parent', id: p.id, key: p.key, name: p.title },
        lineage: { project: ticket.project ?? null, labels: ticket.labels, parents: [{ id: p.id, key: p.key, title: p.title, labels: p.labels, project: p.project ?? null }, ...p.parents] },
      };
    }
    if (wanted.kind === 'issue') return { found: null, ambiguous: false, closest: [] };
  }
  let found = await lookup(reads, wanted, ticket.team, false);
  if (found.length === 0) found = await lookup(reads, wanted, ticket.team, true); // a project made a moment ago
  if (found.length === 1) {
    const project = found[0]!;
    const refs = await reads.cache.projectRefs([project.id]);
    const ref: ProjectRef = refs.get(project.id) ?? { id: project.id, name: project.name, initiatives: [] };
    return { found: { kind: 'project', id: project.id, name: project.name }, lineage: { project: ref, parents: ticket.parents, labels: ticket.labels } };
  }
  const { projects } = await reads.cache.projectsAndInitiatives();
  const names = found.length > 1 ? found.map((p) => p.name) : closestNames(wanted.name, projects.map((p) => p.name));
  return { found: null, ambiguous: found.length > 1, closest: names.slice(0, 3) };
}

/** Projects the wanted link names: by id or name; an initiative's first project in the ticket's team (by name). */
async function lookup(reads: LinearLinkReads, wanted: LinkWanted, team: string | undefined, reload: boolean): Promise<Array<Pick<ProjectIdsNode, 'id' | 'name'>>> {
  const { projects, initiatives } = await reads.cache.projectsAndInitiatives(reload);
  const name = normaliseName(wanted.name);
  const named = <T extends { id: string; name: string }>(rows: T[]): T[] => {
    const byId = rows.filter((r) => r.id === wanted.name.trim());
    return byId.length > 0 ? byId : rows.filter((r) => normaliseName(r.name) === name);
  };
  if (wanted.kind === 'initiative') {
    const initiative = named(initiatives)[0];
    if (!initiative) return [];
    const data = await reads.request<InitiativeProjects>(INITIATIVE_PROJECTS, { id: initiative.id });
    const inTeam = (data.initiative?.projects.nodes ?? [])
      .filter((p) => team !== undefined && p.teams.nodes.some((t) => t.key.toLowerCase() === team.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name));
    return inTeam.slice(0, 1);
  }
  return named(projects);
}
