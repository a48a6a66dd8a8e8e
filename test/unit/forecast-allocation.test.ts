import { describe, expect, it } from 'vitest';
import { allocation, bandHistory, bandOf, type AllocationInput } from '../../src/forecast/allocation.js';
import { decideDrift, type DriftState } from '../../src/forecast/drift-alert.js';
import { historyOf, recordsFor, windowAt } from '../support/forecast-fixtures.js';

const w = windowAt();

describe('allocation on finished work', () => {
  // Over the last 4 weeks: growth finishes 3 a week (estimate 2 each), platform 1 a week (estimate 8), plus 2 orphans a week.
  const input = (): AllocationInput => ({
    history: historyOf(
      w,
      recordsFor(w, 'growth', 'ENG', new Array(12).fill({ done: 3, estimate: 2 })),
      recordsFor(w, 'platform', 'OPS', new Array(12).fill({ done: 1, estimate: 8 })),
      recordsFor(w, 'x', 'ENG', new Array(12).fill({ done: 2, verdict: 'orphan', estimate: 5 })),
    ),
    nodes: [
      { id: 'growth', targetShare: 0.5, openCount: 10, openEstimate: 20 },
      { id: 'platform', targetShare: 0.5, openCount: 30, openEstimate: 20 },
    ],
    openTotal: 40,
    openEstimateTotal: 40,
  });

  it('gives the share of planned finished work by count and estimate, beside the open share and the target', () => {
    const [growth, platform] = allocation(input());
    expect(growth).toEqual({ nodeId: 'growth', finished: 12, finishedEstimate: 24, actualShare: 0.75, actualEstimateShare: 24 / 56, openShare: 0.25, openEstimateShare: 0.5, targetShare: 0.5, band: 'out' });
    expect(platform!.actualShare).toBe(0.25);
    expect(platform!.actualEstimateShare).toBe(32 / 56);
    expect(platform!.band).toBe('out');
  });

  it('draws the band at max(5 points, 25% of the target)', () => {
    expect(bandOf(0.5, 0.4)).toBe('in'); // 10 points off, 25% of 40% is 10
    expect(bandOf(0.51, 0.4)).toBe('out');
    expect(bandOf(0.14, 0.1)).toBe('in'); // 4 points off, 5 points apply
    expect(bandOf(0.16, 0.1)).toBe('out');
    expect(bandOf(0.3, null)).toBeNull();
    expect(bandOf(null, 0.3)).toBeNull();
  });

  it('gives a band per week over a trailing 4-week window', () => {
    const history = historyOf(w, recordsFor(w, 'a', 'ENG', [1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4]), recordsFor(w, 'b', 'ENG', new Array(12).fill(1)));
    const bands = bandHistory({ history, nodes: [{ id: 'a', targetShare: 0.5, openCount: 0 }], openTotal: 0 }, 'a');
    expect(bands.map((b) => b.week)).toEqual(w.weeks.slice(3));
    expect(bands.map((b) => b.band)).toEqual(['in', 'in', 'in', 'in', 'in', 'out', 'out', 'out', 'out']);
    expect(bands[8]!.actualShare).toBe(0.8);
  });
});

describe('drift alerts', () => {
  const off: DriftState = { active: false };
  const on: DriftState = { active: true };

  it('starts after 3 weeks out of band in a row, once', () => {
    expect(decideDrift(['in', 'out', 'out'], off)).toEqual({ active: false, post: null });
    expect(decideDrift(['in', 'out', 'out', 'out'], off)).toEqual({ active: true, post: 'started' });
    expect(decideDrift(['in', 'out', 'out', 'out', 'out'], on)).toEqual({ active: true, post: null });
  });

  it('ends when back in band, once', () => {
    expect(decideDrift(['out', 'out', 'out', 'in'], on)).toEqual({ active: false, post: 'ended' });
    expect(decideDrift(['out', 'out', 'out', 'in', 'in'], off)).toEqual({ active: false, post: null });
  });

  it('a week without a band neither starts nor ends an alert', () => {
    expect(decideDrift(['out', null, 'out', 'out'], off)).toEqual({ active: false, post: null });
    expect(decideDrift(['out', 'out', 'out', null], on)).toEqual({ active: true, post: null });
  });

  it('replayed week by week over a history, posts exactly one start and one end', () => {
    const weeks = ['in', 'out', 'out', 'out', 'out', 'in', 'in', 'out'] as const;
    let state: DriftState = off;
    const posts: string[] = [];
    for (let i = 1; i <= weeks.length; i++) {
      const d = decideDrift(weeks.slice(0, i), state);
      state = d;
      if (d.post) posts.push(`${d.post}@${i}`);
    }
    expect(posts).toEqual(['started@4', 'ended@6']);
  });
});
