// `cascade import linear` on a large workspace: 500 initiatives (100 at the
// top, 400 under them, some with target dates) and 5,000 projects, served by
// the Linear sandbox and read through the real adapter (paged documents).
// Each run uses a fresh adapter, so nothing is cached between runs. The
// baseline in the same run is the paged reads alone (the outline), so the
// ratio shows what mapping, validating and printing the YAML add.
import { startLinearSandbox } from '../sandbox/linear/index.js';
import { LinearTracker } from '../src/trackers/linear/index.js';
import { importOutline } from '../src/config/import-outline.js';
import { linearOutline } from '../src/trackers/linear/config-outline.js';
import type { Figure } from './figures.js';

export interface ImportBenchResult {
  runs: number[];
  outlineRuns: number[];
  requestsPerRun: number;
  nodes: number;
  yamlBytes: number;
  figures: Figure[];
}

export async function runImportBench(options: { initiatives?: number; projects?: number; runs?: number } = {}): Promise<ImportBenchResult> {
  const initiatives = options.initiatives ?? 500;
  const projects = options.projects ?? 5000;
  const runsWanted = options.runs ?? 5;
  const roots = Math.max(1, Math.round(initiatives / 5));
  const sandbox = await startLinearSandbox({
    seed: (store) => {
      store.createTeam({ key: 'ENG', name: 'Engineering' });
      for (let i = 0; i < initiatives; i++) {
        const parent = i < roots ? undefined : `Initiative ${i % roots}`;
        store.createInitiative({
          name: `Initiative ${i}`,
          ...(parent ? { parent } : {}),
          ...(i < roots && i % 3 === 0 ? { targetDate: '2027-06-30' } : {}),
          description: `Outcome ${i}: what this initiative changes for customers.`,
        });
      }
      for (let p = 0; p < projects; p++) store.createProject({ name: `Project ${p}`, initiatives: [`Initiative ${p % initiatives}`] });
      for (let l = 0; l < 50; l++) store.createLabel({ name: `label-${l}` });
    },
  });
  try {
    const runs: number[] = [];
    const outlineRuns: number[] = [];
    let requestsPerRun = 0;
    let nodes = 0;
    let yamlBytes = 0;
    for (let r = 0; r < runsWanted; r++) {
      const tracker = new LinearTracker({ apiKey: sandbox.apiKey, apiUrl: sandbox.apiUrl });
      const before = sandbox.requestCount();
      const t0 = performance.now();
      const outline = await tracker.outline();
      const t1 = performance.now();
      const result = importOutline(outline, linearOutline.import, '2026-11-29');
      const t2 = performance.now();
      outlineRuns.push(t1 - t0);
      runs.push(t2 - t0);
      requestsPerRun = sandbox.requestCount() - before;
      nodes = result.nodes;
      yamlBytes = result.yaml.length;
    }
    const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms`;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const figures: Figure[] = [
      {
        bench: 'import', name: `import of ${initiatives} initiatives, ${projects.toLocaleString('en')} projects (median)`, value: Math.round(median(runs)), unit: 'ms',
        target: { op: '<', value: 5000 }, note: `${runsWanted} runs ${range(runs)}; ${requestsPerRun} requests each; ${nodes} nodes, ${Math.round(yamlBytes / 1024)} KB YAML`,
      },
      {
        bench: 'import', name: 'import vs paged reads alone (median ratio)', value: Number((median(runs) / median(outlineRuns)).toFixed(2)), unit: '×',
        note: `reads alone ${range(outlineRuns)}`,
      },
    ];
    return { runs, outlineRuns, requestsPerRun, nodes, yamlBytes, figures };
  } finally {
    await sandbox.close();
  }
}

// Run on its own: node dist/bench/import.js
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runImportBench();
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit} (${f.note ?? ''})`);
}
