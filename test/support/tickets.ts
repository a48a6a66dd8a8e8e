// Small builders for tracker-neutral ticket snapshots used by the pure tests.
import type { AncestorTicket, InitiativeRef, ProjectRef, TicketSnapshot } from '../../src/strategy/types.js';

export const NOW = new Date('2026-11-23T12:00:00Z');
export const LONG_AGO = '2026-11-01T09:00:00Z';

export function linearTicket(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    tracker: 'linear',
    id: 'uuid-eng-1',
    key: 'ENG-1',
    title: 'Untitled',
    labels: [],
    state: 'open',
    team: 'ENG',
    createdAt: LONG_AGO,
    parents: [],
    ...overrides,
  };
}

export function jiraTicket(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    tracker: 'jira',
    id: '10001',
    key: 'ENT-100',
    title: 'Untitled',
    labels: [],
    issueType: 'Story',
    state: 'open',
    team: 'ENT',
    createdAt: LONG_AGO,
    parents: [],
    ...overrides,
  };
}

export function project(name: string, initiatives: InitiativeRef[] = []): ProjectRef {
  return { id: `project-${name}`, name, initiatives };
}

export function initiative(name: string, parent?: InitiativeRef): InitiativeRef {
  return { id: `initiative-${name}`, name, parent: parent ?? null };
}

export function parent(key: string, extra: Partial<AncestorTicket> = {}): AncestorTicket {
  return { key, labels: [], ...extra };
}
