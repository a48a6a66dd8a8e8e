// `npm run bench`: every benchmark in one process, one after another, each
// figure printed with its target and PASS or MISS. A benchmark reports; it
// does not fail CI, so this always exits 0 (a bench that throws is reported
// as ERROR and the others still run).
import { cpus, loadavg } from 'node:os';
import { runLineageBench } from './lineage.js';
import { PARENT_DEPTH } from '../src/strategy/limits.js';
import { runDigestBench } from './digest.js';
import { runIngestBench } from './ingest.js';
import { runDefaultIngestBench } from './ingest-default.js';
import { runWorkerBench } from './worker.js';
import { runSweepBench } from './sweep.js';
import { runRolloutBench } from './rollout.js';
import { runBurstBench } from './burst.js';
import { runDigestViewsBench } from './digest-views.js';
import { runProposalsBench } from './proposals.js';
import { runLocksBench } from './locks-under-load.js';
import { runImportBench } from './import.js';
import { runSuggestionBench } from './suggestions.js';
import { runForecastBench } from './forecast.js';
import { runForecastReviewBench } from './forecast-review.js';
import { runInstallationsBench } from './installations.js';
import { formatNumber, formatTarget, verdictOf, type Figure } from './figures.js';

interface Bench {
  name: string;
  run(): Promise<Figure[]> | Figure[];
}

const BENCHES: Bench[] = [
  {
    name: 'lineage',
    run: () => {
      const r = runLineageBench();
      return [{ bench: 'lineage', name: `resolutions/s, 1,000-node tree, depth ${PARENT_DEPTH}`, value: r.perSecond, unit: '/s', target: { op: '>', value: 200_000 }, note: JSON.stringify(r.verdicts) }];
    },
  },
  {
    name: 'digest',
    run: () => {
      const r = runDigestBench();
      return [
        { bench: 'digest', name: `digest of ${r.tickets.toLocaleString('en')} tickets`, value: r.ms, unit: 'ms', target: { op: '<', value: r.targets.ms }, note: `compute ${r.computeMs} ms, render ${r.renderMs} ms` },
        { bench: 'digest', name: 'peak resident memory', value: r.peakRssMb, unit: 'MB', target: { op: '<', value: r.targets.rssMb }, note: 'process peak so far' },
      ];
    },
  },
  { name: 'ingest', run: async () => (await runIngestBench()).figures },
  { name: 'ingest-all', run: async () => (await runDefaultIngestBench()).figures },
  { name: 'worker', run: async () => (await runWorkerBench()).figures },
  { name: 'sweep', run: async () => (await runSweepBench()).figures },
  { name: 'rollout', run: async () => (await runRolloutBench()).figures },
  { name: 'burst', run: async () => (await runBurstBench()).figures },
  { name: 'views', run: async () => (await runDigestViewsBench()).figures },
  { name: 'proposals', run: async () => (await runProposalsBench()).figures },
  { name: 'locks', run: async () => (await runLocksBench()).figures },
  { name: 'import', run: async () => (await runImportBench()).figures },
  {
    name: 'suggest',
    run: () => {
      const { figures, table } = runSuggestionBench();
      for (const row of table) console.log(`      ${row}`);
      return figures;
    },
  },
  { name: 'forecast', run: () => runForecastBench() },
  { name: 'forecast-review', run: () => runForecastReviewBench() },
  { name: 'installs', run: async () => (await runInstallationsBench()).figures },
];

function line(f: Figure): string {
  const verdict = verdictOf(f);
  const value = `${formatNumber(f.value)} ${f.unit}`;
  const target = f.target ? `target ${formatTarget(f)} ${f.unit}` : '';
  return `${verdict.padEnd(5)} ${f.bench.padEnd(8)} ${f.name.padEnd(48)} ${value.padStart(16)}  ${target.padEnd(22)} ${f.note ?? ''}`.trimEnd();
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length > 0 ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Cascade benchmarks on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, load average ${load} at start`);
  const figures: Figure[] = [];
  const errors: string[] = [];
  const started = performance.now();
  for (const bench of selected) {
    const t0 = performance.now();
    try {
      const produced = await bench.run();
      for (const f of produced) console.log(line(f));
      figures.push(...produced);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      errors.push(`${bench.name}: ${message}`);
      console.log(`ERROR ${bench.name.padEnd(8)} ${message}`);
    }
    console.log(`      ${bench.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const missed = figures.filter((f) => verdictOf(f) === 'MISS');
  const passed = figures.filter((f) => verdictOf(f) === 'PASS');
  console.log('');
  console.log(`Summary (${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at end)`);
  for (const f of figures) console.log(`  ${verdictOf(f).padEnd(5)} ${`${f.bench}: ${f.name}`.padEnd(58)} ${`${formatNumber(f.value)} ${f.unit}`.padStart(16)}  ${f.target ? formatTarget(f) : ''}`);
  console.log(`${passed.length} PASS, ${missed.length} MISS${errors.length ? `, ${errors.length} ERROR (${errors.join('; ')})` : ''}`);
}

await main();
// Open handles (a closing socket, a lingering timer) must not keep the run alive; the result is printed.
process.exit(0);
