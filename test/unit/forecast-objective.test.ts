import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastObjective, type ForecastContext } from '../../src/forecast/forecast-objective.js';
import { historyWindow } from '../../src/forecast/history-window.js';
import { MONDAY, historyOf, openTickets, recordsFor, windowAt } from '../support/forecast-fixtures.js';

const w = windowAt();
const constant = (n: number, weeks = 12): number[] => new Array<number>(weeks).fill(n);
const context = (history: ForecastContext['history'], teamOpen: Record<string, number> = {}): ForecastContext => ({ history, teamOpen: new Map(Object.entries(teamOpen)) });

describe('forecast of one objective', () => {
  it('gives exactly 8 weeks for 40 open at a constant 5 a week: the Sunday ending the 8th week, counting this one', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', constant(5)));
    const f = forecastObjective({ id: 'obj', endDate: '2027-01-31', open: openTickets('ENG', 40) }, context(history));
    // Week 1 is 7-13 Dec (this week); week 8 ends on Sunday 31 Jan 2027.
    expect([f.p50, f.p85, f.p95]).toEqual(['2027-01-31', '2027-01-31', '2027-01-31']);
    expect(f.probability).toBe(1);
    expect(f.status).toBe('on track');
    expect(f.weeklyThroughput).toBe(5);
    expect(f.cutLine).toEqual([]);
    expect(f.lowData).toBe(false);
  });

  it('the same history a day short of the 8th Sunday is off track, and the cut line is the last 5 tickets in rank order', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', constant(5)));
    const open = openTickets('ENG', 40);
    const f = forecastObjective({ id: 'obj', endDate: '2027-01-24', open }, context(history));
    expect(f.probability).toBe(0);
    expect(f.status).toBe('off track');
    expect(f.cutLine).toEqual(open.slice(35).map((t) => t.key));
  });

  it('spreads the finishing week over its days: 2 left at 5 a week is done on Wednesday of week 1', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', constant(5)));
    const f = forecastObjective({ id: 'obj', endDate: '2026-12-31', open: openTickets('ENG', 2) }, context(history));
    expect(f.p50).toBe('2026-12-09');
  });

  it("counts this week's finished work against this week's pace", () => {
    const h = recordsFor(w, 'obj', 'ENG', constant(5));
    h.completions.push(...[1, 2, 3].map((i) => ({ key: `NOW-${i}`, team: 'ENG', doneAt: MONDAY.toISOString(), verdict: 'aligned' as const, nodeIds: ['obj'] })));
    const f = forecastObjective({ id: 'obj', endDate: '2027-03-31', open: openTickets('ENG', 10) }, context(historyOf(w, h)));
    // 2 more this week, 5 next, then 3 of the week's 5: the ceil(7 × 3/5) = 5th day, Friday 25 Dec.
    expect(f.p50).toBe('2026-12-25');
  });

  it('lets scope grow: a node that creates as much as it finishes never finishes', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', new Array(12).fill({ done: 5, created: 5 })));
    const grown = forecastObjective({ id: 'obj', endDate: '2027-06-30', open: openTickets('ENG', 10) }, context(history));
    expect(grown.probability).toBe(0);
    expect(grown.p50).toBeNull();
    expect(grown.weeklyCreated).toBe(5);
    const fixed = forecastObjective({ id: 'obj', endDate: '2027-06-30', open: openTickets('ENG', 10) }, context(history), { scopeGrowth: false });
    expect(fixed.probability).toBe(1);
  });

  it('is done today when nothing is open, and says an ended objective with open work will not land', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', constant(5)));
    const none = forecastObjective({ id: 'obj', endDate: '2026-12-01', open: [] }, context(history));
    expect(none).toMatchObject({ probability: 1, p50: '2026-12-07', status: 'on track', cutLine: [] });
    const ended = forecastObjective({ id: 'obj', endDate: '2026-12-01', open: openTickets('ENG', 3) }, context(history));
    expect(ended).toMatchObject({ probability: 0, status: 'off track', cutLine: ['ENG-1', 'ENG-2', 'ENG-3'] });
  });

  it('says low data below 6 weeks and uses the team pace times the share of its open work', () => {
    // The objective has 4 weeks; its team ENG finishes 10 a week over 12.
    const own = recordsFor(w, 'obj', 'ENG', [0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]);
    const team = recordsFor(w, 'other', 'ENG', [...constant(10, 8), 7, 7, 7, 7]);
    const f = forecastObjective({ id: 'obj', endDate: '2027-01-31', open: openTickets('ENG', 20) }, context(historyOf(w, own, team), { ENG: 40 }));
    expect(f).toMatchObject({ status: 'low data', lowData: true, basis: 'team share', historyWeeks: 4, doneInHistory: 12 });
    // The objective holds 20 of ENG's 40 open tickets: half of 10 a week.
    expect(f.weeklyThroughput).toBe(5);
    expect(f.p50).toBe('2027-01-03');
  });

  it('says low data below 10 done even over 12 weeks', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]));
    const f = forecastObjective({ id: 'obj', endDate: '2027-01-31', open: openTickets('ENG', 2) }, context(history, { ENG: 2 }));
    expect(f.status).toBe('low data');
    expect(f.historyWeeks).toBe(12);
  });

  it('leaves out the weeks before records began (tickets created then are known, their completions are not)', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', [...new Array(6).fill({ done: 0, created: 2 }), ...new Array(6).fill(4)]));
    const objective = { id: 'obj', endDate: '2027-01-31', open: openTickets('ENG', 8) };
    expect(forecastObjective(objective, context(history)).historyWeeks).toBe(12);
    const known = forecastObjective(objective, { ...context(history), recordsSince: new Date(w.bounds[6]!) });
    expect(known.historyWeeks).toBe(6);
    expect(known.weeklyThroughput).toBe(4);
  });

  it('gives the same forecast for the same inputs, and draws anew for another objective or in another week', () => {
    const weeks = [2, 9, 4, 0, 7, 5, 3, 8, 1, 6, 4, 5];
    const objective = { id: 'obj', endDate: '2027-02-15', open: openTickets('ENG', 37) };
    const a = forecastObjective(objective, context(historyOf(w, recordsFor(w, 'obj', 'ENG', weeks))));
    const b = forecastObjective(objective, context(historyOf(w, recordsFor(w, 'obj', 'ENG', weeks))));
    expect(b).toEqual(a);
    expect(a.probability).toBeGreaterThan(0);
    expect(a.probability).toBeLessThan(1);
    const other = forecastObjective({ ...objective, id: 'obj2' }, context(historyOf(w, recordsFor(w, 'obj2', 'ENG', weeks))));
    expect(other.probability).not.toBe(a.probability);
    // The same history one week later (and the end one week later): only the seed differs.
    const next = windowAt(new Date(MONDAY.getTime() + 7 * 86_400_000));
    const later = forecastObjective({ ...objective, endDate: '2027-02-22' }, context(historyOf(next, recordsFor(next, 'obj', 'ENG', weeks))));
    expect(later.probability).not.toBe(a.probability);
  });

  it('names the objective whose end date cannot be read', () => {
    const history = historyOf(w, recordsFor(w, 'obj', 'ENG', constant(5)));
    expect(() => forecastObjective({ id: 'obj', endDate: '31/01/2027', open: [] }, context(history))).toThrow(/Objective obj: end date "31\/01\/2027"/);
  });
});

describe('forecast properties', () => {
  const weekly = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 12, maxLength: 12 });
  const opts = { trials: 400 };
  const run = (weeks: number[], open: number, endDate: string) =>
    forecastObjective({ id: 'prop', endDate, open: openTickets('ENG', open) }, context(historyOf(w, recordsFor(w, 'prop', 'ENG', weeks)), { ENG: open }), opts);
  const endDates = fc.integer({ min: 0, max: 120 }).map((d) => new Date(Date.UTC(2026, 11, 7 + d)).toISOString().slice(0, 10));

  it('more open work never raises the probability, nor brings a date earlier', () => {
    fc.assert(
      fc.property(weekly, fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 40 }), endDates, (weeks, open, more, end) => {
        const a = run(weeks, open, end);
        const b = run(weeks, open + more, end);
        expect(b.probability).toBeLessThanOrEqual(a.probability);
        expect((b.p85 ?? '9999') >= (a.p85 ?? '9999')).toBe(true);
        expect(b.cutLine.length).toBeGreaterThanOrEqual(a.cutLine.length);
      }),
      { numRuns: 60 },
    );
  });

  it('more throughput never lowers the probability', () => {
    fc.assert(
      fc.property(weekly, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 12, maxLength: 12 }), fc.integer({ min: 1, max: 80 }), endDates, (weeks, extra, open, end) => {
        const a = run(weeks, open, end);
        const b = run(weeks.map((d, i) => d + extra[i]!), open, end);
        expect(b.probability).toBeGreaterThanOrEqual(a.probability);
        expect(b.cutLine.length).toBeLessThanOrEqual(a.cutLine.length);
      }),
      { numRuns: 60 },
    );
  });

  it('the word follows the probability, and the cut line is empty exactly when P85 meets the end date', () => {
    fc.assert(
      fc.property(weekly, fc.integer({ min: 1, max: 80 }), endDates, (weeks, open, end) => {
        const f = run(weeks, open, end);
        if (!f.lowData) expect(f.status).toBe(f.probability >= 0.85 ? 'on track' : f.probability >= 0.5 ? 'at risk' : 'off track');
        expect(f.cutLine.length === 0).toBe(f.p85 !== null && f.p85 <= end);
      }),
      { numRuns: 60 },
    );
  });

  it('counts weeks as the zone sees them: Sunday night in UTC is already Monday in Tokyo', () => {
    const now = new Date('2026-12-06T23:30:00Z');
    const at = (zone: string) => {
      const win = historyWindow(now, zone);
      return forecastObjective({ id: 'obj', endDate: '2027-01-31', open: openTickets('ENG', 40) }, context(historyOf(win, recordsFor(win, 'obj', 'ENG', constant(5))))).p85;
    };
    expect(at('Asia/Tokyo')).toBe('2027-01-31');
    expect(at('UTC')).toBe('2027-01-24');
  });
});
