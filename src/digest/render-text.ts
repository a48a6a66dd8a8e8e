// The digest for a terminal (`cascade digest`): plain text, fixed width, bars
// drawn with block characters. Control characters in user text are replaced so a
// hostile title cannot move the cursor or recolour the terminal.
import { themeLinkCommand } from './theme-link-command.js';
import { teamExemptionLine } from './people-exemptions.js';
import { formatNumber, percent } from './escape.js';
import { heldBackLine } from './rollout-tally.js';
import type { Digest } from './types.js';
import { reviewTextLines } from './render-review.js';
import { forecastTextLines } from './render-forecasts.js';

export interface TextOptions {
  /** Line width. Default 80. */
  width?: number;
  /** Tickets listed per team. Default 5. */
  ticketsPerTeam?: number;
}

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
export const clean = (s: string): string => s.replace(CONTROL, ' ');

function fit(s: string, width: number): string {
  const c = clean(s);
  return c.length <= width ? c.padEnd(width) : `${c.slice(0, width - 1)}…`;
}

function bar(value: number | null, max: number, width: number): string {
  const cells = value === null || max <= 0 ? 0 : Math.round((Math.min(value, max) / max) * width);
  return '█'.repeat(cells) + '·'.repeat(width - cells);
}

export function renderDigestText(d: Digest, options: TextOptions = {}): string {
  const width = Math.max(60, options.width ?? 80);
  const perTeam = options.ticketsPerTeam ?? 5;
  const out: string[] = [];
  const rule = '─'.repeat(width);
  out.push(`Cascade digest ${d.isoWeek} (${d.firstDay} to ${d.lastDay}, ${clean(d.timeZone)})`, rule, clean(d.headline), '');
  const s = d.share;
  out.push(
    `Aligned by count     ${percent(s.byCount).padStart(5)}  ${formatNumber(s.alignedCount)} of ${formatNumber(s.denominatorCount)} open tickets`,
    `Aligned by estimate  ${percent(s.byEstimate).padStart(5)}  ${formatNumber(s.alignedEstimate)} of ${formatNumber(s.denominatorEstimate)} points`,
    `Open: ${formatNumber(d.totals.open.aligned)} aligned, ${formatNumber(d.totals.open.orphan)} orphan, ${formatNumber(d.totals.open.stale)} stale, ` +
      `${formatNumber(d.totals.open.exempt)} exempt, ${formatNumber(d.totals.open.pending)} pending; ${formatNumber(d.totals.finishedThisWeek)} finished this week`,
    ...rolloutLines(d),
    ...exemptedByPeopleLines(d),
    '',
    'Trend (aligned share by count)',
  );
  const barW = width - 22;
  for (const p of d.trend) out.push(`  ${p.isoWeek}  ${p.byCount === null ? ' gap ' : percent(p.byCount).padStart(5)} ${p.byCount === null ? '' : bar(p.byCount, 1, barW)}`);

  out.push('', 'Objectives: actual vs target share of aligned work');
  const labelW = Math.min(34, Math.floor(width / 2.5));
  const objW = width - labelW - 24;
  for (const o of d.objectives) {
    if (o.depth > 1) continue;
    const label = fit(`${'  '.repeat(o.depth)}${o.title}`, labelW);
    const tgt = o.targetShare.absolute === null ? '' : ` / ${percent(o.targetShare.absolute)}`;
    const status = o.status === 'active' ? '' : ` (${o.status})`;
    out.push(`  ${label} ${bar(o.actualShare.absolute, 1, objW)} ${percent(o.actualShare.absolute).padStart(4)}${tgt}${status}`);
  }

  out.push(...reviewTextLines(d.review, clean));
  out.push(...forecastTextLines(d.forecasts, clean));
  if (d.emptyObjectives.length) {
    out.push('', 'Objectives with no open work');
    for (const o of d.emptyObjectives) out.push(`  - ${clean(o.title)}${o.path.length ? `  (${clean(o.path.join(' > '))})` : ''}`);
  }
  if (d.staleObjectives.length) {
    out.push('', 'Retired or ended objectives that still have work');
    for (const o of d.staleObjectives) out.push(`  - ${clean(o.title)}: ${o.status}, ${formatNumber(o.openCount)} open`);
  }

  if (d.teams.length) {
    out.push('', 'Orphan and stale work by team');
    const max = d.teams[0]?.total ?? 1;
    for (const t of d.teams) {
      out.push(`  ${fit(t.team ?? 'No team', 10)} ${bar(t.total, max, width - 40)} ${formatNumber(t.orphanCount)} orphan, ${formatNumber(t.staleCount)} stale`);
    }
    for (const t of d.teams.slice(0, 5)) {
      out.push('', `  ${clean(t.team ?? 'No team')}`);
      for (const k of t.tickets.slice(0, perTeam)) out.push(`    ${fit(k.key, 10)} ${fit(k.title, width - 26)} ${k.verdict}`);
      const more = t.total - Math.min(perTeam, t.tickets.length);
      if (more > 0) out.push(`    … ${formatNumber(more)} more`);
    }
  }

  out.push('', 'What orphan work has in common');
  if (!d.themes.length) out.push('  (no shared theme this week)');
  for (const t of d.themes) {
    out.push(`  ${fit(t.label, 24)} ${String(t.count).padStart(5)} tickets  ${percent(t.orphanRate)} of orphans vs ${percent(t.otherRate)} elsewhere`);
    if (t.placement) out.push(`    ${t.placement.kind === 'new' ? 'candidate new objective: close to no linked work' : clean(`probably belongs under ${t.placement.objectiveTitle}`)}`.slice(0, width));
    if (t.placement?.kind === 'objective') out.push(clean(`    link them: ${themeLinkCommand(t.label, t.placement.nodeId)}`));
    out.push(`    e.g. ${clean(t.examples.map((e) => `${e.key} ${e.title}`).join('; '))}`.slice(0, width));
  }
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}

function rolloutLines(d: Digest): string[] {
  const line = heldBackLine(d.rollout);
  return line ? [clean(line.charAt(0).toUpperCase() + line.slice(1))] : [];
}

/** Beside the share: tickets people exempted this week leave its denominator. */
function exemptedByPeopleLines(d: Digest): string[] {
  const people = d.exemptedByPeople;
  if (!people || people.total === 0) return [];
  return [`Exempted by people this week: ${formatNumber(people.total)} (left out of the share)`, ...people.teams.map((row) => `  ${clean(teamExemptionLine(row))}`)];
}
