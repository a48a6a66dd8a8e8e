// How well the digest tells "probably belongs under X" from "candidate new
// objective". On the suggestion corpus, each objective in turn is taken out of
// the tree (as if the strategy had no such objective); the other objectives
// learn from their linked half. Then the scored half's titles are placed, as
// the digest places a theme's label: titles from the missing objective should
// come out "new" (or undecided), never "belongs under" another; titles from a
// present objective should come out under their own.
import { parseConfigText } from '../src/config/parse-document.js';
import { validateConfig } from '../src/config/validate-config.js';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { themePlacer, type PlacementOptions } from '../src/digest/theme-placement.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus, split } from './suggestion-corpus.js';

export interface PlacementScores {
  /** Titles of a present objective placed under it / under another / as new. */
  present: { own: number; other: number; new: number };
  /** Titles of the missing objective placed under another objective / as new. */
  missing: { other: number; new: number };
}

export function measureThemePlacement(seeds: number[], options?: PlacementOptions): PlacementScores {
  const { index, tickets } = loadCorpus();
  const path = fileURLToPath(new URL('./corpus/ledgerly-tree.yaml', import.meta.url)).replace('/dist/bench/', '/bench/');
  const parsed = parseConfigText(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error('corpus tree');
  const valid = validateConfig(parsed.value);
  if (!valid.ok) throw new Error('corpus tree');
  const full: CascadeConfig = valid.config;
  const rootOf = (id: string): string => index.nodes.get(id)?.chainIds.at(-1) ?? id;
  const counts = { present: { own: 0, other: 0, new: 0, n: 0 }, missing: { other: 0, new: 0, n: 0 } };
  for (const seed of seeds) {
    const { linked, scored } = split(tickets, seed);
    for (const missing of full.objectives) {
      const config: CascadeConfig = { ...full, objectives: full.objectives.filter((o) => o !== missing) };
      const records: VerdictRecord[] = linked
        .filter((t) => rootOf(t.nodeId) !== missing.id)
        .map((t, i) => ({ tracker: 'linear', id: `t${i}`, key: `T-${i}`, title: t.title, description: t.description, team: t.team, state: 'open', verdict: 'aligned', objectiveIds: index.nodes.get(t.nodeId)?.chainIds ?? [], checkedAt: '2026-11-23T00:00:00Z', configVersion: 1 }));
      const place = themePlacer(config, records, options);
      for (const t of scored) {
        const p = place(t.title);
        if (rootOf(t.nodeId) === missing.id) {
          counts.missing.n++;
          if (p?.kind === 'new') counts.missing.new++;
          else if (p?.kind === 'objective') counts.missing.other++;
        } else {
          counts.present.n++;
          if (p?.kind === 'new') counts.present.new++;
          else if (p?.kind === 'objective' && p.objectiveId === rootOf(t.nodeId)) counts.present.own++;
          else if (p?.kind === 'objective') counts.present.other++;
        }
      }
    }
  }
  const pct = (x: number, n: number): number => (100 * x) / Math.max(1, n);
  return {
    present: { own: pct(counts.present.own, counts.present.n), other: pct(counts.present.other, counts.present.n), new: pct(counts.present.new, counts.present.n) },
    missing: { other: pct(counts.missing.other, counts.missing.n), new: pct(counts.missing.new, counts.missing.n) },
  };
}
