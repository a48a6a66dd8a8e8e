import { describe, expect, it } from 'vitest';
import { teamCapacity, weeksLeftOf } from '../../src/forecast/capacity.js';
import { historyOf, recordsFor, windowAt } from '../support/forecast-fixtures.js';

const w = windowAt();
// Today is Monday 7 Dec 2026: 28 days to Sunday 3 Jan inclusive (4 weeks), 56 to Sunday 31 Jan (8 weeks).
const FOUR_WEEKS = '2027-01-03';
const EIGHT_WEEKS = '2027-01-31';
// ENG finishes 10 a week: 8 for objectives, 2 orphan.
const eng = (): ReturnType<typeof historyOf> =>
  historyOf(w, recordsFor(w, 'obj', 'ENG', new Array(12).fill(8)), recordsFor(w, 'none', 'ENG', new Array(12).fill({ done: 2, verdict: 'orphan' })));

describe('team capacity against commitments', () => {
  it('takes the measured unplanned share off the throughput', () => {
    const c = teamCapacity({ team: 'ENG', history: eng(), commitments: [{ objectiveId: 'a', endDate: FOUR_WEEKS, remaining: 16 }] });
    expect(c.throughput).toBe(10);
    expect(c.unplannedShare).toBeCloseTo(0.2, 12);
    expect(c.capacity).toBeCloseTo(8, 12);
    expect(c.load).toBe(4);
    expect(c.ratio).toBeCloseTo(0.5, 12);
    expect(c.overCommitted).toBe(false);
    expect(c.colliding).toEqual([]);
    expect(c.levers).toBeNull();
  });

  it('counts exempt work as unplanned too, but not stale', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', new Array(12).fill({ done: 5, verdict: 'exempt' })), recordsFor(w, 'obj', 'ENG', new Array(12).fill({ done: 5, verdict: 'stale' })));
    expect(teamCapacity({ team: 'ENG', history, commitments: [] }).unplannedShare).toBeCloseTo(0.5, 12);
  });

  it('names an over-committed team, its colliding objectives and the levers', () => {
    const c = teamCapacity({
      team: 'ENG',
      history: eng(),
      commitments: [
        { objectiveId: 'a', endDate: FOUR_WEEKS, remaining: 24 }, // 6 a week
        { objectiveId: 'b', endDate: EIGHT_WEEKS, remaining: 40 }, // 5 a week
        { objectiveId: 'idle', endDate: EIGHT_WEEKS, remaining: 0 },
      ],
    });
    expect(c.load).toBe(11);
    expect(c.ratio).toBeCloseTo(11 / 8, 12);
    expect(c.overCommitted).toBe(true);
    expect(c.colliding).toEqual(['a', 'b']);
    // 3 a week too many: 12 tickets off the nearest end (each frees 1/4 a week).
    expect(c.levers!.dropTickets).toBe(12);
    expect(c.levers!.dropFrom).toEqual([{ objectiveId: 'a', tickets: 12 }]);
    // a alone: 24 ÷ (8 − 5) = 8 weeks instead of 4, so 4 more; b alone: 40 ÷ (8 − 6) = 20 weeks instead of 8, so 12 more.
    expect(c.levers!.moveEnd).toEqual([
      { objectiveId: 'a', weeks: 4 },
      { objectiveId: 'b', weeks: 12 },
    ]);
  });

  it('drops across objectives when the nearest one is not enough, and says when moving one end cannot suffice', () => {
    const c = teamCapacity({
      team: 'ENG',
      history: eng(),
      commitments: [
        { objectiveId: 'a', endDate: FOUR_WEEKS, remaining: 40 }, // 10 a week: over capacity alone
        { objectiveId: 'b', endDate: EIGHT_WEEKS, remaining: 16 }, // 2 a week
      ],
    });
    expect(c.load).toBe(12);
    // 4 too many: all 40 of a frees 10 … only 16 of a are needed (16 ÷ 4 = 4).
    expect(c.levers!.dropTickets).toBe(16);
    expect(c.levers!.moveEnd).toEqual([
      { objectiveId: 'a', weeks: 3 }, // 40 ÷ (8 − 2) = 6.67 weeks: 3 more, whole weeks
      { objectiveId: 'b', weeks: null }, // a alone needs 10 of the 8
    ]);
  });

  it('loads an objective ending this week or already ended as due within a week', () => {
    expect(weeksLeftOf(0)).toBe(1);
    expect(weeksLeftOf(-30)).toBe(1);
    const c = teamCapacity({ team: 'ENG', history: eng(), commitments: [{ objectiveId: 'late', endDate: '2026-11-30', remaining: 3 }] });
    expect(c.load).toBe(3);
  });

  it('a team with no finished work has no capacity: any load is over-committed, drop it all', () => {
    const c = teamCapacity({ team: 'NEW', history: eng(), commitments: [{ objectiveId: 'a', endDate: EIGHT_WEEKS, remaining: 5 }] });
    expect(c.ratio).toBe(Number.POSITIVE_INFINITY);
    expect(c.levers).toEqual({ dropTickets: 5, dropFrom: [{ objectiveId: 'a', tickets: 5 }], moveEnd: [{ objectiveId: 'a', weeks: null }] });
  });

  it('names the objective whose end date cannot be read', () => {
    expect(() => teamCapacity({ team: 'ENG', history: eng(), commitments: [{ objectiveId: 'x', endDate: 'soon', remaining: 1 }] })).toThrow(/Objective x: end date "soon"/);
  });
});
