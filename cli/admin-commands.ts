// `cascade explain`, `cascade recheck`, `cascade review`: the admin API of a
// running Cascade, printed for people.
import { reportOfReview, type ReviewWithForecasts } from '../src/digest/review-forecasts.js';
import { forecastTextLines } from '../src/digest/render-forecasts.js';
import { clean } from '../src/digest/render-text.js';
import { endingSentence } from '../src/digest/review.js';
import type { SweepProgress } from '../src/store/sweep-progress.js';
import { adminRequest, adminTarget } from './admin-client.js';
import { ProgressBar } from './progress-bar.js';

export interface CommonOptions {
  url?: string;
}

interface Explained {
  ticket: { key: string; title: string; tracker: string; url?: string };
  verdict: string;
  reason: string;
  trace: string[];
  objectiveIds: string[];
  configVersion: number;
}

export async function explainCommand(tracker: string, ticket: string, options: CommonOptions, out = process.stdout): Promise<number> {
  const target = adminTarget(process.env, options.url);
  const r = await adminRequest<Explained>(target, 'GET', `/admin/explain/${encodeURIComponent(tracker)}/${encodeURIComponent(ticket)}`);
  out.write(`${r.ticket.key} ${r.ticket.title}\n  verdict: ${r.verdict} (${r.reason})\n`);
  if (r.objectiveIds.length) out.write(`  serves: ${r.objectiveIds.join(' → ')}\n`);
  out.write(`  trace (config version ${r.configVersion}):\n${r.trace.map((l) => `    ${l}`).join('\n')}\n`);
  return 0;
}

interface QueueView {
  queues: Array<{ name: string; counts: Record<string, number> }>;
  sweeps: SweepProgress[];
}

export async function recheckCommand(options: CommonOptions & { tracker?: string; team?: string[]; wait?: boolean }, out = process.stderr): Promise<number> {
  const target = adminTarget(process.env, options.url);
  const body = { ...(options.tracker ? { tracker: options.tracker } : {}), ...(options.team?.length ? { teams: options.team } : {}) };
  const { sweepIds } = await adminRequest<{ sweepIds: string[] }>(target, 'POST', '/admin/recheck', body);
  process.stdout.write(`re-check started: ${sweepIds.join(', ') || 'nothing in scope'}\n`);
  if (options.wait === false || sweepIds.length === 0) return 0;
  // The sweeps read tickets in pages (their progress is kept in Redis), then the checks drain.
  const bar = new ProgressBar(out);
  for (;;) {
    const view = await adminRequest<QueueView>(target, 'GET', '/admin/queues');
    const mine = view.sweeps.filter((s) => sweepIds.includes(s.sweepId));
    const read = mine.reduce((n, s) => n + s.tickets, 0);
    const reading = mine.length < sweepIds.length || mine.some((s) => !s.done);
    const pending = view.queues.filter((q) => q.name.startsWith('check')).reduce((n, q) => n + (q.counts.waiting ?? 0) + (q.counts.active ?? 0) + (q.counts.delayed ?? 0) + (q.counts.prioritized ?? 0), 0);
    const checked = Math.max(0, read - pending);
    bar.draw(checked, reading ? Math.max(read, 1) : read, reading ? `reading tickets (${read} so far)` : `checked ${checked} of ${read}`, reading);
    if (!reading && pending === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.done();
  return 0;
}

/** `out`: where it prints (standard output; a test passes its own). */
export async function reviewCommand(options: CommonOptions & { days: number; json?: boolean }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const target = adminTarget(process.env, options.url);
  const review = await adminRequest<ReviewWithForecasts>(target, 'GET', `/admin/review?days=${options.days}`);
  if (options.json) {
    out.write(`${JSON.stringify(review, null, 2)}\n`);
    return 0;
  }
  const lines = [`Ending within ${review.days} days (today ${review.today})`];
  if (!review.endingSoon.length) lines.push('  nothing ends in the window');
  for (const n of review.endingSoon) {
    lines.push(`  ${endingSentence(n)}${n.estimate ? ` (estimate ${n.estimate})` : ''}${n.forecast ? `; forecast ${n.forecast.status}, ${Math.round(n.forecast.probability * 100)}%` : ''}`);
    if (n.examples.length) lines.push(`    ${n.examples.map((e) => `${e.key} ${e.title}`).join('\n    ')}`);
  }
  if (review.upcoming.length) {
    lines.push('', 'Not started yet (work under them is aligned: planning ahead)');
    for (const n of review.upcoming) lines.push(`  ${n.title}: starts ${n.start}, in ${n.daysLeft} days${n.openTickets ? `, ${n.openTickets} open tickets` : ''}`);
  }
  // The forecasts, worded as the digest's text words them (older servers send none).
  if (review.forecasts) lines.push(...forecastTextLines(reportOfReview(review), clean));
  if (review.forecasts && review.forecastsComputedAt === null) lines.push('  (not computed yet: the workers compute them after reading the completion history back)');
  lines.push('', 'Proposed by the teams');
  if (!review.proposals.length) lines.push('  none yet (/cascade propose <objective> in a ticket comment)');
  for (const g of review.proposals) lines.push(`  ${g.title}: ${g.count} by ${g.people.join(', ')} (${g.tickets.map((t) => t.key).join(', ')})`);
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
