// One small inline SVG per forecast: a time line from today, the end date as a
// line, and the days by which 50%, 85% and 95% of the trials finish. Read it as
// "where does the work land against the deadline?": marks left of the line land.
import { html, type Html } from './html.js';
import { COLORS } from './svg-charts.js';
import type { NodeForecast } from '../forecast/forecast-report.js';

// Narrower than the page charts: three cards side by side keep the labels readable.
const W = 360;
const H = 78;
const LEFT = 14;
const RIGHT = W - 14;
const AXIS = 40;
const DAY_MS = 86_400_000;
const STATUS_COLOR: Record<string, string> = { 'on track': '#1f8a5b', 'at risk': '#b45309', 'off track': '#c2412d', 'low data': COLORS.muted };

const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** "31 Dec", or "31 Dec 2027" when the year differs from today's. */
export function shortDate(iso: string, today?: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  const sameYear = today !== undefined && today.slice(0, 4) === iso.slice(0, 4);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' });
}

export function forecastChart(f: NodeForecast, today: string, id: string): Html {
  const { p50, p85, p95, status } = f.forecast;
  const start = dayOf(today);
  const marks = [p50, p85, p95].filter((d): d is string => d !== null).map(dayOf);
  // The scale runs a little past the later of the end date and the P95 date (or shows an arrow when the work never lands).
  const last = Math.max(dayOf(f.end), ...marks, start + 7);
  const span = (last - start) * 1.08 || 1;
  const x = (day: number): number => LEFT + ((RIGHT - LEFT) * (day - start)) / span;
  const color = STATUS_COLOR[status] ?? COLORS.muted;
  const parts: Html[] = [html`<line x1="${LEFT}" x2="${RIGHT}" y1="${AXIS}" y2="${AXIS}" stroke="${COLORS.grid}" stroke-width="2"/>`];
  if (p50) {
    const from = x(dayOf(p50));
    const to = p95 ? x(dayOf(p95)) : RIGHT;
    parts.push(html`<rect x="${from}" y="${AXIS - 9}" width="${Math.max(2, to - from)}" height="18" rx="4" fill="${color}" fill-opacity="0.18"/>`);
  } else {
    parts.push(html`<text x="${RIGHT}" y="${AXIS - 14}" text-anchor="end" fill="${color}" font-size="13">not within 3 years →</text>`);
  }
  // P85 is always labelled; P50 and P95 only where their label does not run into another.
  const labelled: number[] = [];
  const mark = (date: string | null, label: string, strong: boolean): void => {
    if (!date) return;
    const at = x(dayOf(date));
    const room = labelled.every((other) => Math.abs(other - at) >= 30);
    if (room) labelled.push(at);
    parts.push(html`<line x1="${at}" x2="${at}" y1="${AXIS - 11}" y2="${AXIS + 11}" stroke="${color}" stroke-width="${strong ? 3 : 1.5}"/>${room ? html`<text x="${at}" y="${AXIS + 26}" text-anchor="middle" fill="${color}" font-size="13"${strong ? html` font-weight="600"` : ''}>${label}</text>` : ''}`);
  };
  mark(p85, 'P85', true);
  mark(p50, 'P50', false);
  mark(p95, 'P95', false);
  const end = x(dayOf(f.end));
  // The end date's label sits above the line, kept inside the chart at either edge.
  const anchor = end < LEFT + 60 ? 'start' : end > W - 60 ? 'end' : 'middle';
  parts.push(html`<line x1="${end}" x2="${end}" y1="16" y2="${AXIS + 12}" stroke="${COLORS.target}" stroke-dasharray="4 3"/><text x="${anchor === 'start' ? Math.max(LEFT, end - 4) : end}" y="12" text-anchor="${anchor}" fill="${COLORS.target}" font-size="13">ends ${shortDate(f.end, today)}</text>`);
  // "today" under the start of the axis, unless a mark's label is there.
  if (marks.every((m) => x(m) > LEFT + 56)) parts.push(html`<text x="${LEFT}" y="${AXIS + 26}" fill="${COLORS.muted}" font-size="13">today</text>`);
  const desc = `Ends ${f.end}. ${p50 ? `Half the trials finish by ${p50}, 85% by ${p85 ?? 'beyond 3 years'}, 95% by ${p95 ?? 'beyond 3 years'}` : 'The open work is not done within 3 years in most trials'}.`;
  return html`<svg class="chart forecast-chart" id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMinYMin meet"><title id="${id}-title">Forecast for ${f.title}</title><desc id="${id}-desc">${desc}</desc>${parts}</svg>`;
}
