// How Cascade's comments and answers name Linear's things (TrackerWords).
import type { TrackerWords } from '../../strategy/tracker-words.js';

export const linearWords: TrackerWords = {
  parentTarget: (key, name) => `the issue ${key} "${name}"`,
  moveUnder: (target) => `make it a sub-issue of ${target}`,
  movedUnder: (target) => `made a sub-issue of ${target}`,
  linkContainer: 'project',
  issueLink: 'issue',
  editors: (ticketKey) => `members of the team of ${ticketKey} (guests outside it cannot)`,
  // Linear has no issue types.
  issueTypes: false,
  breakPoint(ticket) {
    const last = ticket.parents[ticket.parents.length - 1];
    if (!last && !ticket.project) return 'it has no parent issue and no project.';
    if (last) return `its chain ends at ${last.key}, which is in no project that maps to an objective.`;
    return `its project "${ticket.project?.name ?? ''}" is not under an objective's initiative.`;
  },
  matchEntry: (key, value) => (key === 'labels' ? `label ${value}` : `${key === 'initiatives' ? 'initiative' : 'project'} "${value}"`),
  fixHint(first) {
    if (first?.kind === 'project') return `move it into the project "${first.name}" (or another project under an objective), or make it a sub-issue of an issue that is. Cascade re-checks it within seconds.`;
    return 'put it in a project under one of the objectives, or make it a sub-issue of an issue that is. Cascade re-checks it within seconds.';
  },
};
