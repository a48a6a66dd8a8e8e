// A check (one ticket read fresh) and a sweep (pages of open tickets) must give
// every ticket the same verdict, or Cascade flips its label back and forth. The
// tickets here sit at and past each limit in strategy/limits.ts: deep parent
// chains, ancestors with many labels, projects with many initiatives, deep
// initiative chains. Real adapters against both sandboxes.
import { afterEach, describe, expect, it } from 'vitest';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { decideVerdict } from '../../src/strategy/decide-verdict.js';
import { INITIATIVE_DEPTH, INITIATIVES_PER_PROJECT, LABELS_PER_ANCESTOR, PARENT_DEPTH } from '../../src/strategy/limits.js';
import { compileStrategy } from '../../src/strategy/strategy-index.js';
import type { Verdict } from '../../src/strategy/types.js';
import type { Tracker } from '../../src/trackers/tracker.js';
import { startJiraHarness } from '../support/jira-harness.js';
import { startLinearHarness } from '../support/linear-harness.js';
import type { TrackerHarness } from '../support/tracker-harness.js';

// An hour on: tickets made by the test are past the (zero) grace period.
const NOW = new Date(Date.now() + 3_600_000);
const config: CascadeConfig = {
  objectives: [
    {
      id: 'goal',
      title: 'The goal',
      match: { linear: { labels: ['goal'], initiatives: ['Goal initiative'] }, jira: { labels: ['goal'] } },
    },
  ],
  rules: { grace_minutes: 0 },
};
const index = compileStrategy(config);

const fillers = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

/** A chain of `depth` tickets under a root carrying `rootLabels`; returns the ref of the lowest. */
async function chainUnder(h: TrackerHarness, name: string, rootLabels: string[], depth: number): Promise<string> {
  let ref = await h.createTicket({ title: `${name} root`, labels: rootLabels });
  for (let level = 1; level <= depth; level++) ref = await h.createTicket({ title: `${name} level ${level}`, parent: ref });
  return ref;
}

async function checkVerdict(tracker: Tracker, ref: string): Promise<Verdict> {
  const state = await tracker.fetchTicket(ref);
  if (!state) throw new Error(`fetchTicket(${ref}) answered null`);
  return decideVerdict(index, state.ticket, NOW).verdict;
}

/** Verdicts of every open ticket as a sweep reads them, by id and by key. */
async function sweepVerdicts(tracker: Tracker): Promise<Map<string, Verdict>> {
  const out = new Map<string, Verdict>();
  let cursor: string | undefined;
  do {
    const page = await tracker.listOpenTickets({ teams: [] }, cursor);
    for (const state of page.items) {
      const verdict = decideVerdict(index, state.ticket, NOW).verdict;
      out.set(state.ticket.id, verdict);
      out.set(state.ticket.key, verdict);
    }
    cursor = page.next;
  } while (cursor);
  return out;
}

async function expectAgreement(tracker: Tracker, expected: Record<string, Verdict>): Promise<void> {
  const swept = await sweepVerdicts(tracker);
  const seen: Record<string, { check: Verdict; sweep: Verdict | undefined }> = {};
  const wanted: Record<string, { check: Verdict; sweep: Verdict }> = {};
  for (const [ref, verdict] of Object.entries(expected)) {
    seen[ref] = { check: await checkVerdict(tracker, ref), sweep: swept.get(ref) };
    wanted[ref] = { check: verdict, sweep: verdict };
  }
  expect(seen).toEqual(wanted);
}

describe('a check and a sweep agree at the limits', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('Linear: deep chains, ancestors with many labels, projects with many initiatives, deep initiatives', async () => {
    const h = await startLinearHarness();
    close = h.close;
    const store = h.sandbox.store;
    const expected: Record<string, Verdict> = {};

    expected[await chainUnder(h, 'deepest read', ['goal'], PARENT_DEPTH)] = 'aligned';
    expected[await chainUnder(h, 'one too deep', ['goal'], PARENT_DEPTH + 1)] = 'orphan';
    // The matching label is the last one an ancestor's labels are read up to, then one past it.
    expected[await chainUnder(h, 'last label read', [...fillers(LABELS_PER_ANCESTOR - 1, 'wide'), 'goal'], 1)] = 'aligned';
    expected[await chainUnder(h, 'label past the limit', [...fillers(LABELS_PER_ANCESTOR, 'wide'), 'goal'], 1)] = 'orphan';

    const goal = store.createInitiative({ name: 'Goal initiative' });
    const others = fillers(INITIATIVES_PER_PROJECT, 'Other initiative').map((name) => store.createInitiative({ name }).id);
    const inProject = (projectName: string, initiatives: string[]) => {
      const project = store.createProject({ name: projectName, initiatives });
      return store.createIssue({ team: 'ENG', title: `in ${projectName}`, project: project.id, createdAt: '2026-01-01T00:00:00Z' }).id;
    };
    expected[inProject('last initiative read', [...others.slice(1), goal.id])] = 'aligned';
    expected[inProject('initiative past the limit', [...others, goal.id])] = 'orphan';

    // Initiative chains: the goal at the top, the project under the lowest one.
    const chainBelow = (top: string, levels: number): string => {
      let id = top;
      for (let level = 1; level <= levels; level++) id = store.createInitiative({ name: `Below ${top} ${level}`, parent: id }).id;
      return id;
    };
    const deepGoal = store.createInitiative({ name: 'Goal initiative' });
    expected[inProject('deepest initiative read', [chainBelow(goal.id, INITIATIVE_DEPTH - 1)])] = 'aligned';
    expected[inProject('initiative one too deep', [chainBelow(deepGoal.id, INITIATIVE_DEPTH)])] = 'orphan';

    await expectAgreement(h.tracker, expected);
  });

  it('Jira: deep chains and ancestors with many labels', async () => {
    const h = await startJiraHarness();
    close = h.close;
    const expected: Record<string, Verdict> = {};
    expected[await chainUnder(h, 'deepest read', ['goal'], PARENT_DEPTH)] = 'aligned';
    expected[await chainUnder(h, 'one too deep', ['goal'], PARENT_DEPTH + 1)] = 'orphan';
    expected[await chainUnder(h, 'wide', [...fillers(LABELS_PER_ANCESTOR + 10, 'wide'), 'goal'], 2)] = 'aligned';
    await expectAgreement(h.tracker, expected);
  });
});
