// The web addresses Linear gives its entities, built the same way.
import type { LinearStore } from './store.js';
import type { InitiativeRecord, IssueRecord, ProjectRecord } from './records.js';

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

export function issueUrl(store: LinearStore, issue: IssueRecord): string {
  return `https://linear.app/${store.organization.urlKey}/issue/${store.identifierOf(issue)}/${slug(issue.title)}`;
}

export function projectUrl(store: LinearStore, project: ProjectRecord): string {
  return `https://linear.app/${store.organization.urlKey}/project/${slug(project.name)}-${project.id.slice(0, 12)}`;
}

export function initiativeUrl(store: LinearStore, initiative: InitiativeRecord): string {
  return `https://linear.app/${store.organization.urlKey}/initiative/${slug(initiative.name)}-${initiative.id.slice(0, 12)}`;
}
