import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import { decideVerdict, explainVerdict } from '../../src/strategy/decide-verdict.js';
import { computeReview, endingSentence } from '../../src/digest/review.js';
import { computeDigest } from '../../src/digest/compute.js';
import { groupProposals } from '../../src/digest/group-proposals.js';
import { closestName } from '../../src/strategy/closest-name.js';
import { renderDigestHtml } from '../../src/digest/render-html.js';
import { renderDigestText } from '../../src/digest/render-text.js';
import { renderDigestSlack } from '../../src/digest/render-slack.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { Proposal } from '../../src/records/proposal.js';
import { linearTicket, project } from '../support/tickets.js';

const config: CascadeConfig = {
  objectives: [
    {
      id: 'mobile', title: 'Mobile beta', period: { start: '2026-07-01', end: '2026-12-31' },
      match: { linear: { projects: ['Mobile beta'] } },
      children: [{ id: 'offline', title: 'Offline mode', match: { linear: { projects: ['Offline'] } } }],
    },
    { id: 'platform', title: 'Platform', period: { start: '2026-07-01', end: '2027-06-30' }, match: { linear: { projects: ['API'] } } },
    { id: 'next-year', title: 'Next year', period: { start: '2027-01-01', end: '2027-12-31' }, match: { linear: { projects: ['Roadmap 2027'] } } },
    { id: 'old', title: 'Old', status: 'retired', period: { start: '2026-01-01', end: '2026-12-15' }, match: { linear: { projects: ['Old'] } } },
  ],
};

function record(key: string, objectiveIds: string[], extra: Partial<VerdictRecord> = {}): VerdictRecord {
  return {
    tracker: 'linear', id: key, key, title: `Ticket ${key}`, state: 'open', verdict: 'aligned', objectiveIds, estimate: 2,
    checkedAt: '2026-11-29T00:00:00Z', configVersion: 1, ...extra,
  };
}

const records = [
  record('ENG-1', ['mobile']),
  record('ENG-2', ['offline', 'mobile'], { estimate: 3 }),
  record('ENG-3', ['mobile'], { state: 'closed', verdict: 'closed' }),
  record('ENG-4', ['platform']),
  record('ENG-5', ['next-year']),
  record('ENG-6', [], { verdict: 'orphan' }),
];

describe('the review: what ends within the window', () => {
  const now = new Date('2026-12-10T12:00:00Z');

  it('lists a node whose own period ends inside the window, with its open work, and leaves the rest out', () => {
    const review = computeReview({ config, records, proposals: [], now, timeZone: 'UTC', days: 30 });
    expect(review.endingSoon.map((n) => n.id)).toEqual(['mobile']);
    const mobile = review.endingSoon[0]!;
    expect(mobile).toMatchObject({ end: '2026-12-31', daysLeft: 21, openTickets: 2, estimate: 5 });
    expect(mobile.examples.map((e) => e.key)).toEqual(['ENG-1', 'ENG-2']);
    expect(endingSentence(mobile)).toBe('Mobile beta ends 31 Dec with 2 open tickets: move them or let them lapse');
    expect(review.upcoming.map((n) => [n.id, n.daysLeft])).toEqual([['next-year', 22]]);
  });

  it('follows the window: 10 days does not reach 31 Dec', () => {
    expect(computeReview({ config, records, proposals: [], now, timeZone: 'UTC', days: 10 }).endingSoon).toEqual([]);
  });

  it('the digest carries the same section, in HTML, Slack and text', () => {
    const digest = computeDigest({ config, records, history: [], now, timeZone: 'UTC' });
    expect(digest.review?.endingSoon.map((n) => n.openTickets)).toEqual([2]);
    const sentence = 'Mobile beta ends 31 Dec with 2 open tickets: move them or let them lapse';
    expect(renderDigestHtml(digest)).toContain(sentence);
    expect(renderDigestText(digest)).toContain(sentence);
    expect(JSON.stringify(renderDigestSlack(digest).blocks)).toContain(sentence);
  });
});

describe('one "today" for verdicts and the digest, across a period boundary', () => {
  const ticket = linearTicket({ project: project('Mobile beta'), createdAt: '2026-11-01T00:00:00Z' });
  // 23:30 UTC on 31 Dec is already 1 Jan in Paris, still 31 Dec in New York.
  const lateEvening = new Date('2026-12-31T23:30:00Z');

  for (const [zone, verdict, status] of [['Europe/Paris', 'stale', 'ended'], ['America/New_York', 'aligned', 'active'], ['UTC', 'aligned', 'active']] as const) {
    it(`in ${zone} the verdict is ${verdict} and the digest calls the node ${status}`, () => {
      const r = decideVerdict(compileStrategy(config, { timeZone: zone }), ticket, lateEvening);
      expect(r.verdict).toBe(verdict);
      const digest = computeDigest({ config, records, history: [], now: lateEvening, timeZone: zone });
      expect(digest.objectives.find((o) => o.id === 'mobile')?.status).toBe(status);
    });
  }

  it('work under a node that has not started is aligned (planning ahead), and the digest calls the node upcoming', () => {
    const justBefore = new Date('2026-12-31T22:30:00Z'); // 23:30 in Paris: next-year starts in half an hour
    const r = explainVerdict(compileStrategy(config, { timeZone: 'Europe/Paris' }), linearTicket({ project: project('Roadmap 2027'), createdAt: '2026-11-01T00:00:00Z' }), justBefore);
    expect(r.verdict).toBe('aligned');
    expect(r.trace.join('\n')).toContain('upcoming (starts 2027-01-01)');
    const digest = computeDigest({ config, records, history: [], now: justBefore, timeZone: 'Europe/Paris' });
    expect(digest.objectives.find((o) => o.id === 'next-year')?.status).toBe('upcoming');
    expect(digest.review?.upcoming.map((n) => n.id)).toEqual(['next-year']);
    // Half an hour later, in Paris, it has started and is no longer listed as upcoming.
    const after = computeDigest({ config, records, history: [], now: new Date('2026-12-31T23:30:00Z'), timeZone: 'Europe/Paris' });
    expect(after.objectives.find((o) => o.id === 'next-year')?.status).toBe('active');
    expect(after.review?.upcoming).toEqual([]);
  });
});

function proposal(title: string, key: string, person: string, at: string): Proposal {
  return { title, tracker: 'linear', ticketId: key, ticketKey: key, person, at };
}

describe('proposals grouped by similar title', () => {
  it('puts reworded and misspelled titles together and keeps different ideas apart', () => {
    const groups = groupProposals([
      proposal('Offline mode for field teams', 'WEB-1', 'Mei Chen', '2026-11-20T10:00:00Z'),
      proposal('offline-mode', 'WEB-2', 'Tomás Silva', '2026-11-21T10:00:00Z'),
      proposal('Ofline mode', 'WEB-3', 'Mei Chen', '2026-11-22T10:00:00Z'),
      proposal('Dark mode everywhere', 'WEB-4', 'Priya Natarajan', '2026-11-23T10:00:00Z'),
    ]);
    expect(groups.map((g) => g.count)).toEqual([3, 1]);
    expect(groups[0]!.people).toEqual(['Mei Chen', 'Tomás Silva']);
    expect(groups[0]!.tickets.map((t) => t.key)).toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    expect(groups[1]!.title).toBe('Dark mode everywhere');
  });
});

describe('closest existing name', () => {
  it('names a plausible misspelling and nothing for an unrelated name', () => {
    expect(closestName('Enterprise readyness', ['Developer platform', 'Enterprise readiness', 'Mobile'])).toBe('Enterprise readiness');
    expect(closestName('SSO', ['SCIM provisioning', 'Audit log'])).toBeNull();
  });
});

describe('proposals: a longer wording of the same idea', () => {
  it('groups "Dark mode everywhere" with "Dark mode across the product", not with "Data export for customers"', () => {
    const groups = groupProposals([
      proposal('Dark mode across the product', 'WEB-7', 'Mei Chen', '2026-11-20T10:00:00Z'),
      proposal('Dark mode everywhere', 'WEB-8', 'Tomás Silva', '2026-11-21T10:00:00Z'),
      proposal('Data export for customers', 'ENG-12', 'Priya Natarajan', '2026-11-22T10:00:00Z'),
    ]);
    expect(groups.map((g) => [g.count, g.people.join(', ')])).toEqual([[2, 'Mei Chen, Tomás Silva'], [1, 'Priya Natarajan']]);
  });
});
