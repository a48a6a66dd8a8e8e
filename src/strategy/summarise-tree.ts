// A short text picture of the strategy tree, for `cascade validate` and the start-up log.
// Each tracker's match entries read in its own words (its descriptor's).
import type { CascadeConfig, StrategyNode } from './tree-schema.js';
import { MATCH_PARTS, matchValues } from './match-keys.js';
import type { TrackerWords } from './tracker-words.js';
import type { TrackerId } from './types.js';

export function summariseTree(config: CascadeConfig, words: Partial<Record<TrackerId, Pick<TrackerWords, 'matchEntry'>>>): string {
  const lines: string[] = [];
  let nodes = 0;
  let matches = 0;
  const walk = (list: StrategyNode[], depth: number): void => {
    for (const node of list) {
      nodes++;
      const entries = MATCH_PARTS.flatMap(({ tracker, keys }) =>
        keys.flatMap((key) => matchValues(node.match, tracker, key).map((v) => words[tracker]?.matchEntry(key, v) ?? `${tracker}.${key} ${v}`)),
      );
      matches += entries.length;
      const level = config.levels?.[depth];
      const flags = [
        level,
        node.status === 'retired' ? 'retired' : undefined,
        node.period ? `${node.period.start}…${node.period.end}` : undefined,
        node.target_share !== undefined ? `target ${Math.round(node.target_share * 100)}%` : undefined,
      ].filter(Boolean);
      lines.push(`${'  '.repeat(depth)}- ${node.id}: ${node.title}${flags.length ? ` [${flags.join(', ')}]` : ''}`);
      if (entries.length) lines.push(`${'  '.repeat(depth + 1)}  ↳ ${entries.join(', ')}`);
      walk(node.children ?? [], depth + 1);
    }
  };
  walk(config.objectives, 0);
  const header = `${config.objectives.length} objectives, ${nodes} nodes, ${matches} match entries`;
  return [header, ...lines].join('\n');
}
