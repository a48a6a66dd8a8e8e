// Digest of 100,000 tickets against PRODUCT.md's target (< 2 s, < 300 MB resident):
// builds synthetic records over the example tree, then computes the digest and
// renders it as HTML, Slack blocks and text, timing all of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CascadeConfig } from '../src/strategy/tree-schema.js';
import { computeDigest, snapshotOf } from '../src/digest/compute.js';
import { renderDigestHtml } from '../src/digest/render-html.js';
import { renderDigestSlack } from '../src/digest/render-slack.js';
import { renderDigestText } from '../src/digest/render-text.js';
import type { WeeklySnapshot } from '../src/digest/types.js';
import { addIsoWeeks, isoWeekOf } from '../src/strategy/iso-week.js';
import { buildRecords } from './digest-fixture.js';

export interface DigestBenchResult {
  tickets: number;
  /** Compute plus the three renderings, in ms. */
  ms: number;
  computeMs: number;
  renderMs: number;
  /** Peak resident set size of the process, records included, in MB. */
  peakRssMb: number;
  htmlBytes: number;
  targets: { ms: number; rssMb: number };
  pass: boolean;
  line: string;
}

/** Finds config/strategy.example.yaml from src or dist. */
function exampleConfig(): CascadeConfig {
  for (const rel of ['../config/strategy.example.yaml', '../../config/strategy.example.yaml']) {
    try {
      return parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as CascadeConfig;
    } catch {
      // try the next location
    }
  }
  throw new Error('config/strategy.example.yaml not found next to bench/');
}

export function runDigestBench(tickets = 100_000): DigestBenchResult {
  const config = exampleConfig();
  const now = new Date('2026-11-23T09:00:00Z');
  const timeZone = 'Europe/Paris';
  const records = buildRecords(config, { count: tickets, now });
  const week = isoWeekOf(now, timeZone);
  const history: WeeklySnapshot[] = [1, 2, 4, 5, 6].map((k) => ({
    v: 1,
    isoWeek: addIsoWeeks(week, -k),
    generatedAt: now.toISOString(),
    open: { aligned: 0, orphan: 0, stale: 0, exempt: 0, pending: 0, closed: 0 },
    finishedThisWeek: 0,
    byCount: 0.6 - k * 0.02,
    byEstimate: 0.58 - k * 0.02,
    denominatorCount: tickets,
    objectives: {},
  }));

  const t0 = performance.now();
  const digest = computeDigest({ config, records, history, now, timeZone, publicUrl: 'https://cascade.example.com' });
  const t1 = performance.now();
  const html = renderDigestHtml(digest);
  renderDigestSlack(digest);
  renderDigestText(digest);
  snapshotOf(digest);
  const t2 = performance.now();

  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const ms = Math.round(t2 - t0);
  const targets = { ms: 2000, rssMb: 300 };
  return {
    tickets,
    ms,
    computeMs: Math.round(t1 - t0),
    renderMs: Math.round(t2 - t1),
    peakRssMb,
    htmlBytes: Buffer.byteLength(html),
    targets,
    pass: ms < targets.ms && peakRssMb < targets.rssMb,
    line: `digest ${tickets} tickets: ${ms} ms, peak ${peakRssMb} MB (targets < ${targets.ms} ms, < ${targets.rssMb} MB)`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = runDigestBench();
  console.log(r.line);
  console.log(`  compute ${r.computeMs} ms, render ${r.renderMs} ms, html ${Math.round(r.htmlBytes / 1024)} KB`);
  if (!r.pass) process.exitCode = 1;
}
