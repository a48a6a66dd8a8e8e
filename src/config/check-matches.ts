// The tree checked against the trackers: every match entry that names nothing
// in the tracker, with the closest existing name. Warnings, never errors: a
// name may be about to be created, and the save must not wait for it. Pure:
// the config, the trackers' outlines and what each tracker's match entries
// must be found among (its descriptor's `outline.matchChecks`) in, warnings out.
import type { CascadeConfig, StrategyNode } from '../strategy/tree-schema.js';
import type { TrackerOutline } from '../strategy/outline.js';
import type { TrackerId } from '../strategy/types.js';
import type { MatchCheck } from '../trackers/descriptor.js';
import { closestName } from '../strategy/closest-name.js';

export interface ConfigWarning {
  /** Where the entry is, as validation errors name it: objectives[0].match.<tracker>.initiatives[1]. */
  path: string;
  tracker: TrackerId;
  kind: MatchCheck['kind'];
  value: string;
  closest: string | null;
  message: string;
}

/** A tracker's outline with the checks of its match entries. */
export interface OutlineToCheck {
  tracker: TrackerId;
  outline: TrackerOutline;
  checks: MatchCheck[];
}

/** A match part as the config holds it, read by key: match.<tracker>.<key>. */
type MatchEntries = Partial<Record<string, Partial<Record<string, string[]>>>>;

export function checkMatches(config: CascadeConfig, outlines: OutlineToCheck[]): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const lower = (values: string[]) => new Set(values.map((v) => v.trim().toLowerCase()));
  // Each outline's names, lower-cased once for every node.
  const sets = outlines.map(({ tracker, outline, checks }) => ({
    tracker,
    checks: checks.map((check) => {
      const { known, names } = check.known(outline);
      return { check, known: lower(known), names };
    }),
  }));
  const visit = (nodes: StrategyNode[], base: string): void => {
    nodes.forEach((node, i) => {
      const path = `${base}[${i}]`;
      const match = node.match as MatchEntries | undefined;
      for (const { tracker, checks } of sets) {
        for (const { check, known, names } of checks) {
          (match?.[tracker]?.[check.key] ?? []).forEach((value, j) => {
            if (known.has(value.trim().toLowerCase())) return;
            const closest = closestName(value, names);
            out.push({
              path: `${path}.match.${tracker}.${check.key}[${j}]`, tracker, kind: check.kind, value, closest,
              message: `${check.what} "${value}" does not exist${closest ? `; closest: "${closest}"` : ''}`,
            });
          });
        }
      }
      if (node.children) visit(node.children, `${path}.children`);
    });
  };
  visit(config.objectives, 'objectives');
  return out;
}
