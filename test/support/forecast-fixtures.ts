// Seeded histories for the forecast tests: records placed in given weeks of a window.
import { historyWindow, type HistoryWindow } from '../../src/forecast/history-window.js';
import { bucketHistory, type HistoryIndex } from '../../src/forecast/weekly-history.js';
import type { CloseVerdict, CompletionRecord, CreatedEvent, OpenTicket } from '../../src/forecast/types.js';

/** Monday 7 December 2026, 09:00 in Paris: the start of ISO week 2026-W50. */
export const MONDAY = new Date('2026-12-07T08:00:00Z');
export const TZ = 'Europe/Paris';

export function windowAt(now = MONDAY, timeZone = TZ): HistoryWindow {
  return historyWindow(now, timeZone);
}

/** An instant in the middle (Wednesday noon-ish) of complete week w of the window; w = weeks.length is the current week. */
export function midWeek(window: HistoryWindow, w: number): string {
  return new Date(window.bounds[w]! + 2.5 * 86_400_000).toISOString();
}

export interface WeekSpec {
  done: number;
  created?: number;
  verdict?: CloseVerdict;
  estimate?: number;
}

/** Records for one node and team: weeks[i] done in complete week i (oldest first). */
export function recordsFor(window: HistoryWindow, nodeId: string, team: string, weeks: readonly (number | WeekSpec)[]): { completions: CompletionRecord[]; created: CreatedEvent[] } {
  const completions: CompletionRecord[] = [];
  const created: CreatedEvent[] = [];
  weeks.forEach((spec, w) => {
    const s = typeof spec === 'number' ? { done: spec } : spec;
    const at = midWeek(window, w);
    for (let k = 0; k < s.done; k++) {
      const verdict = s.verdict ?? 'aligned';
      completions.push({ key: `${nodeId}-${team}-D${w}-${k}`, team, doneAt: at, verdict, nodeIds: verdict === 'orphan' ? [] : [nodeId], estimate: s.estimate ?? null });
    }
    for (let k = 0; k < (s.created ?? 0); k++) created.push({ key: `${nodeId}-${team}-C${w}-${k}`, team, createdAt: at, nodeIds: [nodeId] });
  });
  return { completions, created };
}

export function historyOf(window: HistoryWindow, ...parts: Array<{ completions: CompletionRecord[]; created: CreatedEvent[] }>): HistoryIndex {
  return bucketHistory(window, parts.flatMap((p) => p.completions), parts.flatMap((p) => p.created));
}

export function openTickets(prefix: string, count: number, team = 'ENG'): OpenTicket[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${prefix}-${i + 1}`, team }));
}
