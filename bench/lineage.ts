// Lineage resolution throughput on a 1,000-node tree, each ticket with the deepest ancestry Cascade reads (PARENT_DEPTH).
// Target: > 200,000 resolutions/s on one core.
import { compileStrategy } from '../src/strategy/strategy-index.js';
import { decideVerdict } from '../src/strategy/decide-verdict.js';
import { PARENT_DEPTH } from '../src/strategy/limits.js';
import type { CascadeConfig, StrategyNode } from '../src/strategy/tree-schema.js';
import type { TicketSnapshot } from '../src/strategy/types.js';
import { pathToFileURL } from 'node:url';

function buildTree(): CascadeConfig {
  // 10 objectives × 9 portfolios × 10 products ≈ 1,000 nodes, each product matched by a project.
  let n = 0;
  const objectives: StrategyNode[] = Array.from({ length: 10 }, (_, o) => ({
    id: `o${o}`,
    title: `Objective ${o}`,
    match: { linear: { initiatives: [`Initiative ${o}`] } },
    children: Array.from({ length: 9 }, (_, p) => ({
      id: `o${o}-p${p}`,
      title: `Portfolio ${o}.${p}`,
      children: Array.from({ length: 10 }, (_, q) => {
        n++;
        return { id: `o${o}-p${p}-q${q}`, title: `Product ${n}`, match: { linear: { projects: [`Project ${n}`], labels: [`label-${n}`] } } };
      }),
    })),
  }));
  return { objectives, rules: { grace_minutes: 0 } };
}

function tickets(count: number): TicketSnapshot[] {
  return Array.from({ length: count }, (_, i) => {
    const linked = i % 3 !== 0; // two thirds aligned via the deepest parent's project, one third orphan
    const parents = Array.from({ length: PARENT_DEPTH }, (_, d) => ({
      key: `ENG-${i * 10 + d + 1}`,
      labels: [`misc-${d}`],
      project: d === PARENT_DEPTH - 1 && linked ? { id: `p${i}`, name: `Project ${(i % 900) + 1}`, initiatives: [{ id: `i${i % 10}`, name: `Initiative ${i % 10}` }] } : null,
    }));
    return { tracker: 'linear', id: `t${i}`, key: `ENG-${i * 10}`, title: 'Ticket', labels: ['frontend'], state: 'open', team: 'ENG', createdAt: '2026-01-01T00:00:00Z', parents };
  });
}

export function runLineageBench(): { perSecond: number; verdicts: Record<string, number> } {
  const index = compileStrategy(buildTree());
  const sample = tickets(10_000);
  const now = new Date('2026-11-23T00:00:00Z');
  const verdicts: Record<string, number> = {};
  for (const t of sample.slice(0, 2000)) decideVerdict(index, t, now); // warm up
  const rounds = 10;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const t of sample) {
      const v = decideVerdict(index, t, now).verdict;
      if (r === 0) verdicts[v] = (verdicts[v] ?? 0) + 1;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: Math.round((rounds * sample.length) / seconds), verdicts };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { perSecond, verdicts } = runLineageBench();
  console.log(`lineage: ${perSecond.toLocaleString('en')} resolutions/s on one core, 1,000-node tree, depth ${PARENT_DEPTH} (target > 200,000) ${JSON.stringify(verdicts)}`);
}
