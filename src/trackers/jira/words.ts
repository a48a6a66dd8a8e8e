// How Cascade's comments and answers name Jira's things (TrackerWords).
import type { TrackerWords } from '../../strategy/tracker-words.js';

export const jiraWords: TrackerWords = {
  parentTarget: (key, name) => `${key} "${name}"`,
  moveUnder: (target) => `set its parent to ${target}`,
  movedUnder: (target) => `parent set to ${target}`,
  linkContainer: 'epic',
  issueLink: 'parent',
  editors: (ticketKey) => `people with the Edit Issues permission on ${ticketKey}`,
  issueTypes: true,
  breakPoint(ticket) {
    const last = ticket.parents[ticket.parents.length - 1];
    return last ? `its chain ends at ${last.key}, which has no parent that maps to an objective.` : 'it has no parent (epic or initiative).';
  },
  matchEntry: (key, value) => (key === 'labels' ? `jira label ${value}` : `jira ${value}`),
  fixHint(first) {
    if (first?.kind === 'issue') return `set its parent to ${first.name} (or another epic under an objective). Cascade re-checks it within seconds.`;
    return 'set its parent to an epic under one of the objectives. Cascade re-checks it within seconds.';
  },
};
