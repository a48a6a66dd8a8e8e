// The digest as one self-contained HTML page: headline, three inline SVG charts,
// then the tables. No script, no external asset; every interpolated value is
// escaped by the `html` tag and only http(s) links survive.
import { themeLinkCommand } from './theme-link-command.js';
import { formatNumber, percent, safeHttpUrl } from './escape.js';
import { html, trusted, type Html } from './html.js';
import { heldBackLine } from './rollout-tally.js';
import { DIGEST_CSS } from './html-styles.js';
import { targetBarsChart, teamBarsChart, trendChart } from './svg-charts.js';
import type { Digest, ObjectiveRow, TicketRef } from './types.js';
import { proposalsHtml, reviewHtml } from './render-review.js';
import { forecastsHtml } from './render-forecasts.js';
import { teamExemptionLine } from './people-exemptions.js';

/** Options for renderDigestHtml; every field has a default. */
export interface HtmlOptions {
  /** Path the week links hang from. Default "/digest". */
  basePath?: string;
  /** Link to the next week (off for the current week, which has no next yet). Default false. */
  showNextWeek?: boolean;
  /** Appended to week links as `?token=`, for pages opened from a tokenised link. Default none. */
  token?: string;
  /** Teams shown in the orphan chart and tables. Default 10. */
  maxTeams?: number;
  /** Tickets listed per team (the rest are counted). Default 8. */
  ticketsPerTeam?: number;
}

const STATUS_LABEL: Record<ObjectiveRow['status'], string> = { active: 'active', retired: 'retired', ended: 'ended', upcoming: 'upcoming' };

function ticketLink(t: TicketRef): Html {
  const url = safeHttpUrl(t.url);
  const key = html`<span class="key">${t.key}</span>`;
  return url ? html`<a href="${url}" rel="noopener noreferrer">${key}</a>` : key;
}

function weekLink(base: string, week: string, token: string | undefined, label: string, rel: string): Html {
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return html`<a rel="${rel}" href="${`${base}/${encodeURIComponent(week)}${q}`}">${label}</a>`;
}

function dayRange(d: Digest): string {
  const fmt = (iso: string, withYear: boolean): string =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
  return `${fmt(d.firstDay, false)} – ${fmt(d.lastDay, true)}`;
}

function headline(d: Digest): Html | string {
  // The change is coloured on its own so the eye finds the direction at once.
  if (!d.change || d.change.points === 0) return d.headline;
  const m = /, (up|down) .*$/.exec(d.headline);
  if (!m) return d.headline;
  return html`${d.headline.slice(0, m.index)}, <span class="delta ${m[1]}">${d.headline.slice(m.index + 2)}</span>`;
}

function kpis(d: Digest): Html {
  const o = d.totals.open;
  const cell = (cls: string, label: string, value: number): Html => html`<div class="kpi ${cls}"><dt>${label}</dt><dd>${formatNumber(value)}</dd></div>`;
  return html`<dl class="kpis">${[
    cell('aligned', 'Aligned', o.aligned),
    cell('orphan', 'Orphan', o.orphan),
    cell('stale', 'Stale', o.stale),
    cell('', 'Exempt', o.exempt),
    cell('', 'Pending', o.pending),
    cell('', 'Done this week', d.totals.finishedThisWeek),
  ]}</dl>`;
}

function emptyObjectives(d: Digest): Html {
  const rows = d.emptyObjectives.map(
    (o) => html`<tr><td>${o.title}${o.path.length ? html`<div class="path">${o.path.join(' › ')}</div>` : ''}</td><td>${o.depth === 0 ? 'objective' : 'sub-goal'}</td></tr>`,
  );
  const stale = d.staleObjectives.map(
    (o) => html`<tr><td>${o.title}</td><td><span class="pill ${o.status}">${STATUS_LABEL[o.status]}</span></td><td class="num">${formatNumber(o.openCount)}</td></tr>`,
  );
  return html`<section class="card" id="no-work"><h2>Objectives with no open work</h2>
<p class="note">Active objectives and sub-goals that no open ticket serves.</p>
${rows.length ? html`<div class="table-wrap"><table><thead><tr><th>Objective</th><th>Level</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">Every active objective has open work.</p>`}
${stale.length ? html`<h3>Retired or ended objectives that still have work</h3><div class="table-wrap"><table><thead><tr><th>Objective</th><th>Status</th><th class="num">Open tickets</th></tr></thead><tbody>${stale}</tbody></table></div>` : ''}
</section>`;
}

function teams(d: Digest, maxTeams: number, perTeam: number): Html {
  const blocks = d.teams.slice(0, maxTeams).map((t) => {
    const shown = t.tickets.slice(0, perTeam);
    const more = t.total - shown.length;
    const rows = shown.map(
      (k) => html`<tr><td>${ticketLink(k)}</td><td>${k.title}</td><td><span class="pill ${k.verdict}">${k.verdict}</span></td><td class="wide-only">${k.tracker}</td></tr>`,
    );
    return html`<div class="team"><h3>${t.team ?? 'No team'} <span class="pill orphan">${formatNumber(t.orphanCount)} orphan</span>${t.staleCount ? html` <span class="pill stale">${formatNumber(t.staleCount)} stale</span>` : ''}</h3>
<div class="table-wrap"><table class="tickets"><thead><tr><th class="c-key">Ticket</th><th>Title</th><th class="c-verdict">Verdict</th><th class="c-tracker wide-only">Tracker</th></tr></thead><tbody>${rows}</tbody></table></div>
${more > 0 ? html`<p class="more">and ${formatNumber(more)} more</p>` : ''}
</div>`;
  });
  const hidden = d.teams.length - Math.min(d.teams.length, maxTeams);
  return html`<section class="card" id="orphans"><h2>Orphan and stale work by team</h2>
<p class="note">Open tickets with no lineage to an objective (orphan) or only through retired or ended ones (stale).</p>
${blocks.length ? blocks : html`<p class="empty">No orphan or stale work.</p>`}
${hidden > 0 ? html`<p class="more">${hidden} more teams not shown.</p>` : ''}
</section>`;
}

/** "probably belongs under X" (a linking problem) or "candidate new objective" (a strategy gap). */
function placementHtml(p: Digest['themes'][number]['placement'], label: string): Html | string {
  if (!p) return '';
  return p.kind === 'new'
    ? html`<div class="placement new">candidate new objective: close to no linked work</div>`
    : html`<div class="placement belongs">probably belongs under <strong>${p.objectiveTitle}</strong>${p.nodeTitle !== p.objectiveTitle ? ` (${p.nodeTitle})` : ''}: <code>${themeLinkCommand(label, p.nodeId)}</code></div>`;
}

function themes(d: Digest): Html {
  const rows = d.themes.map(
    (t) =>
      html`<tr><td class="theme-label">${t.label}${placementHtml(t.placement, t.label)}</td><td class="num">${formatNumber(t.count)}</td><td class="num">${percent(t.orphanRate)} vs ${percent(t.otherRate)}</td>
<td><ul class="plain">${t.examples.map((e) => html`<li>${ticketLink(e)} ${e.title}</li>`)}</ul></td></tr>`,
  );
  return html`<section class="card" id="themes"><h2>What orphan work has in common</h2>
<p class="note">Words and phrases far more frequent in orphan tickets than in the rest of the open work. A cluster here is often a missing objective; one that reads like an objective's linked work is more likely a linking problem.</p>
${rows.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Theme</th><th class="num">Tickets</th><th class="num">Orphan vs other</th><th>Examples</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="empty">No shared theme among orphan tickets this week.</p>`}
</section>`;
}

function objectivesTable(d: Digest): Html {
  const rows = d.objectives.map(
    (o) =>
      html`<tr><td class="indent-${Math.min(o.depth, 4)}">${o.title}${o.owner ? html`<div class="path">${o.owner}</div>` : ''}</td>
<td><span class="pill ${o.status}">${STATUS_LABEL[o.status]}</span></td>
<td class="num">${formatNumber(o.openCount)}</td><td class="num">${formatNumber(o.finishedThisWeek)}</td>
<td class="num">${percent(o.actualShare.absolute)}</td><td class="num">${percent(o.targetShare.absolute)}</td>
<td class="num">${percent(o.actualShare.ofParent)}</td><td class="num">${percent(o.targetShare.ofParent)}</td></tr>`,
  );
  return html`<section class="card" id="objectives"><h2>All objectives</h2>
<p class="note">Open tickets count for a node and all its ancestors, once each. Shares are of aligned open work; “of parent” is the share of the parent's.</p>
<div class="table-wrap"><table><thead><tr><th>Objective</th><th>Status</th><th class="num">Open</th><th class="num">Finished</th><th class="num">Actual</th><th class="num">Target</th><th class="num">Actual of parent</th><th class="num">Target of parent</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

/** Objectives for the target chart: roots, and their children when a target is set or they carry work. */
function chartRows(d: Digest): ObjectiveRow[] {
  return d.objectives.filter((o) => o.depth === 0 || (o.depth === 1 && (o.targetShare.absolute !== null || o.alignedCount > 0))).slice(0, 14);
}

export function renderDigestHtml(d: Digest, options: HtmlOptions = {}): string {
  const base = (options.basePath ?? '/digest').replace(/\/+$/, '');
  const maxTeams = options.maxTeams ?? 10;
  const s = d.share;
  const next = options.showNextWeek ? weekLink(base, d.nextWeek, options.token, `${d.nextWeek} →`, 'next') : '';
  const byEstimate = s.byEstimate === null ? '' : html` By estimate: <strong>${percent(s.byEstimate)}</strong> (${formatNumber(s.estimatedTickets)} estimated tickets).`;
  // referrer: links to tickets must not leak a ?token= in the Referer header.
  // icon: an empty inline icon, so the browser does not ask the server for /favicon.ico.
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Cascade digest ${d.isoWeek}: ${d.headline}</title><style>${trusted(DIGEST_CSS)}</style></head><body>
<header class="nav"><span class="brand">Cascade</span><nav class="weeks" aria-label="Weeks">${weekLink(base, d.previousWeek, options.token, `← ${d.previousWeek}`, 'prev')}<span class="current">${d.isoWeek} · ${dayRange(d)}</span>${next}</nav></header>
<main>
<section class="hero"><p class="eyebrow">Weekly digest · ${d.isoWeek}</p><h1>${headline(d)}</h1>
<p class="sub">${formatNumber(s.alignedCount)} of ${formatNumber(s.denominatorCount)} open tickets trace to an objective (exempt and pending work left out).${byEstimate}</p>
${exemptedByPeopleHtml(d)}
${kpis(d)}
</section>
<div class="charts">
<figure class="fig-trend"><figcaption>Aligned share, last ${d.trend.length} weeks<small>By count (solid), by estimate (dashed); gaps are weeks with no data</small></figcaption>${trendChart(d.trend)}</figure>
<figure class="fig-target"><figcaption>Actual vs target<small>Share of aligned open work per objective</small></figcaption>${targetBarsChart(chartRows(d))}</figure>
<figure class="fig-team"><figcaption>Orphan and stale work by team<small>Open tickets with no live objective</small></figcaption>${teamBarsChart(d.teams.slice(0, maxTeams))}</figure>
</div>
${reviewHtml(d.review)}
${forecastsHtml(d.forecasts)}
${emptyObjectives(d)}
${teams(d, maxTeams, options.ticketsPerTeam ?? 8)}
${themes(d)}
${proposalsHtml(d.review)}
${objectivesTable(d)}
</main>
<footer>Computed ${d.generatedAt} · weeks in ${d.timeZone} · ${formatNumber(d.totals.records)} tickets recorded, ${formatNumber(d.totals.closed)} closed.${
    d.unknownObjectiveTickets ? ` ${formatNumber(d.unknownObjectiveTickets)} tickets name objectives no longer in the tree.` : ''
  }${heldBackLine(d.rollout) ? ` ${heldBackLine(d.rollout)}.` : ''}</footer>
</body></html>`;
  return page.toString();
}

/** Beside the share: exempted tickets leave its denominator, so readers see how many people exempted. */
function exemptedByPeopleHtml(d: Digest): Html | string {
  const people = d.exemptedByPeople;
  if (!people || people.total === 0) return '';
  const teams = people.teams.map((row) => html`<li>${teamExemptionLine(row)}</li>`);
  return html`<div class="sub exempted-by-people"><p>${formatNumber(people.total)} ${people.total === 1 ? 'ticket' : 'tickets'} exempted by people this week with <code>/cascade exempt</code> (left out of the share):</p><ul>${teams}</ul></div>`;
}
