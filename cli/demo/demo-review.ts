// The strategy review in the demo, whatever today's date: the example tree's
// periods move with the calendar (one objective always ends within 30 days),
// and the second example config, with its deliberate misspellings, is checked
// against the sandboxes so the log shows what `cascade validate --live` says.
// (The proposals are real `/cascade propose` comments, in sandbox/demo.ts.)
import type { Logger } from 'pino';
import type { CascadeConfig, StrategyNode } from '../../src/strategy/tree-schema.js';
import { addDays, daysBetween, todayIn } from '../../src/strategy/period-clock.js';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { trackerWarnings } from '../../src/config/tracker-warnings.js';
import type { TrackerRegistry } from '../../src/trackers/tracker-registry.js';

/** The day config/strategy.example.yaml was written for: its dates keep their distance from today. */
const EXAMPLE_TODAY = '2026-11-29';
/** The objective the demo makes end within the review window, and in how many days. */
const ENDING = { id: 'retention', inDays: 21 };
export const MISSPELLED_CONFIG = 'config/strategy.misspelled.example.yaml';

/** The example tree with every period moved by the days since EXAMPLE_TODAY, and one objective ending in 21 days. */
export function datedForDemo(config: CascadeConfig, now: Date, timeZone: string): CascadeConfig {
  const today = todayIn(now, timeZone);
  const shift = daysBetween(EXAMPLE_TODAY, today);
  const move = (nodes: StrategyNode[]): StrategyNode[] =>
    nodes.map((n) => {
      const period = n.period ? { start: addDays(n.period.start, shift), end: addDays(n.period.end, shift) } : undefined;
      if (period && n.id === ENDING.id) period.end = addDays(today, ENDING.inDays);
      return { ...n, ...(period ? { period } : {}), ...(n.children ? { children: move(n.children) } : {}) };
    });
  return { ...config, objectives: move(config.objectives) };
}

export async function showMisspelledWarnings(trackers: TrackerRegistry, logger: Logger): Promise<void> {
  const loaded = await loadConfigFile(MISSPELLED_CONFIG);
  if (!loaded.ok) return;
  const check = await trackerWarnings(loaded.config, trackers);
  const lines = check.warnings.map((w) => `  ${w.path}: ${w.message}`);
  logger.info(`demo: \`cascade validate --live ${MISSPELLED_CONFIG}\` would warn (warnings never block a save):\n${lines.join('\n')}`);
}
