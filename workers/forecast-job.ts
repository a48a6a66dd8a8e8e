// The forecast report, computed on a worker: the stored records are gathered
// (12 weeks of completion records, the tickets created in them, the open
// tickets in rank order, customer requests and reported health), the maths runs
// (src/forecast/forecast-report.ts) and the report is stored for the review
// route and the digest, which only read it. Drift alerts that start or end are
// posted to Slack as a job of their own, once each: its id names the node, the
// change and the week, and the drift state is stored with the report.
import type { Queue } from 'bullmq';
import type { ConfigStore } from '../src/store/config-store.js';
import type { VerdictStore } from '../src/store/verdict-store.js';
import type { CompletionStore } from '../src/store/completion-store.js';
import type { WorkspaceSignalsStore } from '../src/store/workspace-signals-store.js';
import type { ForecastStore } from '../src/store/forecast-store.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import type { DigestJob } from '../src/queue/job-types.js';
import { createdAmong } from '../src/store/created-history.js';
import { HISTORY_WEEKS } from '../src/records/completion-record.js';
import { historyWindow } from '../src/forecast/history-window.js';
import { computeForecastReport, type DriftEvent, type ForecastReport } from '../src/forecast/forecast-report.js';
import { SLACK_LIMITS, type SlackPayload } from '../src/digest/render-slack.js';
import { percent } from '../src/digest/escape.js';
import { findThemes } from '../src/digest/themes.js';
import { toTicketRef } from '../src/digest/team-work.js';
import type { OrphanTheme } from '../src/forecast/customer-demand.js';
import type { CustomerDemand } from '../src/records/workspace-signals.js';

export interface ForecastSources {
  configStore: ConfigStore;
  verdicts: VerdictStore;
  completions: CompletionStore;
  signals: WorkspaceSignalsStore;
  forecasts: ForecastStore;
  timeZone: string;
}

export interface ForecastRun {
  report: ForecastReport;
  /** Time to gather the records and compute, ms; of which reading the stores. */
  ms: number;
  readMs: number;
}

export async function computeForecasts(sources: ForecastSources, now: Date, slack?: { queue: Queue<DigestJob>; retryDelayMs?: number }): Promise<ForecastRun> {
  const started = performance.now();
  const window = historyWindow(now, sources.timeZone, HISTORY_WEEKS);
  const from = new Date(window.bounds[0]!);
  const [config, completions, records, demand, fieldDemand, health, drift] = await Promise.all([
    sources.configStore.current(),
    sources.completions.since(from),
    collect(sources.verdicts.all()),
    sources.signals.demand(),
    sources.signals.fieldDemand(),
    sources.signals.health(),
    sources.forecasts.drift(),
  ]);
  const readMs = performance.now() - started;
  const created = createdAmong(completions, records, from);
  const result = computeForecastReport({ index: config.index, completions, created, records, demand, fieldDemand, health, themes: orphanThemes(records, demand), drift, now, timeZone: sources.timeZone });
  // The post is queued before the state that says it happened is stored: a crash between them queues it again under the same id, which BullMQ keeps once.
  if (slack && result.driftEvents.length) {
    await slack.queue.add('drift', { kind: 'drift', drift: result.driftEvents }, {
      jobId: `drift-${result.report.isoWeek}-${result.driftEvents.map((e) => `${e.nodeId}.${e.change}`).join('-')}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: slack.retryDelayMs ?? 30_000 },
    });
  }
  await sources.forecasts.save(result.report, result.drift);
  return { report: result.report, ms: performance.now() - started, readMs };
}

/**
 * The digest's themes of open orphan work, each with every orphan ticket whose text
 * names it (the theme's label as written), for the customer demand behind each.
 */
function orphanThemes(records: readonly VerdictRecord[], demand: readonly CustomerDemand[]): OrphanTheme[] {
  // Themes matter here only for the requests on orphan tickets: none, no themes to find (they cost a pass over every orphan's text).
  const asked = new Set(demand.filter((d) => d.ticketId).map((d) => `${d.tracker}:${d.ticketId}`));
  if (!records.some((r) => r.state === 'open' && r.verdict === 'orphan' && asked.has(`${r.tracker}:${r.id}`))) return [];
  // In key order: Redis hands the records over in its hash order, and the themes' sample must not depend on it.
  const open = records.filter((r) => r.state === 'open').sort((a, b) => (a.tracker === b.tracker ? byKey(a.key, b.key) : a.tracker < b.tracker ? -1 : 1));
  const orphans = open.filter((r) => r.verdict === 'orphan');
  const others = open.filter((r) => r.verdict !== 'orphan');
  return findThemes(orphans, others, toTicketRef).map((theme) => {
    const label = theme.label.toLowerCase();
    const ticketKeys = orphans.filter((r) => `${r.title} ${r.description ?? ''}`.toLowerCase().includes(label)).map((r) => `${r.tracker}:${r.id}`);
    return { id: theme.term, title: theme.label, ticketKeys };
  });
}

// One collator for every comparison: localeCompare with options builds one per call, seconds over 100,000 records.
const byKey = new Intl.Collator('en', { numeric: true }).compare;

async function collect(records: AsyncIterable<VerdictRecord>): Promise<VerdictRecord[]> {
  const out: VerdictRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** "Drift alert started: Enterprise readiness got 12% of the finished work (target 30%)." */
export function driftLine(e: DriftEvent): string {
  const actual = e.actualShare === null ? 'no share' : percent(e.actualShare);
  const target = e.targetShare === null ? 'none' : percent(e.targetShare);
  return e.change === 'started'
    ? `Drift alert started: ${e.title} got ${actual} of the finished work for 3 weeks (target ${target}).`
    : `Drift alert ended: ${e.title} is back in band at ${actual} of the finished work (target ${target}).`;
}

export function driftSlackPayload(events: readonly DriftEvent[]): SlackPayload {
  const lines = events.map(driftLine);
  // plain_text: titles are the config's words, shown as written, never as Slack markup.
  return { text: lines.join('\n').slice(0, SLACK_LIMITS.text), blocks: lines.slice(0, SLACK_LIMITS.blocks).map((line) => ({ type: 'section', text: { type: 'plain_text', text: line.slice(0, SLACK_LIMITS.text) } })) };
}
