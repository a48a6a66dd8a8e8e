// A short text picture of the strategy tree, for `cascade validate` and the start-up log.
import type { CascadeConfig, StrategyNode } from './tree-schema.js';

export function summariseTree(config: CascadeConfig): string {
  const lines: string[] = [];
  let nodes = 0;
  let matches = 0;
  const walk = (list: StrategyNode[], depth: number): void => {
    for (const node of list) {
      nodes++;
      const m = node.match;
      const entries = [
        ...(m?.linear?.initiatives ?? []).map((v) => `initiative "${v}"`),
        ...(m?.linear?.projects ?? []).map((v) => `project "${v}"`),
        ...(m?.linear?.labels ?? []).map((v) => `label ${v}`),
        ...(m?.jira?.issues ?? []).map((v) => `jira ${v}`),
        ...(m?.jira?.labels ?? []).map((v) => `jira label ${v}`),
      ];
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
