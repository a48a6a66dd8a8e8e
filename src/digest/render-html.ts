// The digest as one self-contained HTML page: headline, three inline SVG charts,
// then the tables. No script, no external asset; every piece of user text is
// escaped and only http(s) links survive.
import { escapeHtml as esc, formatNumber, percent, safeHttpUrl } from './escape.js';
import { DIGEST_CSS } from './html-styles.js';
import { targetBarsChart, teamBarsChart, trendChart } from './svg-charts.js';
import type { Digest, ObjectiveRow, TicketRef } from './types.js';

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

function ticketLink(t: TicketRef): string {
  const url = safeHttpUrl(t.url);
  const key = `<span class="key">${esc(t.key)}</span>`;
  return url ? `<a href="${esc(url)}" rel="noopener noreferrer">${key}</a>` : key;
}

function weekLink(base: string, week: string, token: string | undefined, label: string, rel: string): string {
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `<a rel="${rel}" href="${esc(`${base}/${encodeURIComponent(week)}${q}`)}">${esc(label)}</a>`;
}

function dayRange(d: Digest): string {
  const fmt = (iso: string, withYear: boolean): string =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
  return `${fmt(d.firstDay, false)} – ${fmt(d.lastDay, true)}`;
}

function headline(d: Digest): string {
  // The change is coloured on its own so the eye finds the direction at once.
  const text = esc(d.headline);
  if (!d.change || d.change.points === 0) return text;
  const m = /, (up|down) .*$/.exec(d.headline);
  if (!m) return text;
  const head = esc(d.headline.slice(0, m.index));
  return `${head}, <span class="delta ${m[1]}">${esc(d.headline.slice(m.index + 2))}</span>`;
}

function kpis(d: Digest): string {
  const o = d.totals.open;
  const cell = (cls: string, label: string, value: string): string => `<div class="kpi ${cls}"><dt>${label}</dt><dd>${value}</dd></div>`;
  return (
    `<dl class="kpis">` +
    cell('aligned', 'Aligned', formatNumber(o.aligned)) +
    cell('orphan', 'Orphan', formatNumber(o.orphan)) +
    cell('stale', 'Stale', formatNumber(o.stale)) +
    cell('', 'Exempt', formatNumber(o.exempt)) +
    cell('', 'Pending', formatNumber(o.pending)) +
    cell('', 'Done this week', formatNumber(d.totals.finishedThisWeek)) +
    `</dl>`
  );
}

function emptyObjectives(d: Digest): string {
  const rows = d.emptyObjectives.map(
    (o) => `<tr><td>${esc(o.title)}${o.path.length ? `<div class="path">${esc(o.path.join(' › '))}</div>` : ''}</td><td>${o.depth === 0 ? 'objective' : 'sub-goal'}</td></tr>`,
  );
  const stale = d.staleObjectives.map(
    (o) => `<tr><td>${esc(o.title)}</td><td><span class="pill ${o.status}">${STATUS_LABEL[o.status]}</span></td><td class="num">${formatNumber(o.openCount)}</td></tr>`,
  );
  return (
    `<section class="card" id="no-work"><h2>Objectives with no open work</h2>` +
    `<p class="note">Active objectives and sub-goals that no open ticket serves.</p>` +
    (rows.length ? `<div class="table-wrap"><table><thead><tr><th>Objective</th><th>Level</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` : `<p class="empty">Every active objective has open work.</p>`) +
    (stale.length
      ? `<h3>Retired or ended objectives that still have work</h3><div class="table-wrap"><table><thead><tr><th>Objective</th><th>Status</th><th class="num">Open tickets</th></tr></thead><tbody>${stale.join('')}</tbody></table></div>`
      : '') +
    `</section>`
  );
}

function teams(d: Digest, maxTeams: number, perTeam: number): string {
  const blocks = d.teams.slice(0, maxTeams).map((t) => {
    const shown = t.tickets.slice(0, perTeam);
    const more = t.total - shown.length;
    const rows = shown.map(
      (k) => `<tr><td>${ticketLink(k)}</td><td>${esc(k.title)}</td><td><span class="pill ${k.verdict}">${esc(k.verdict)}</span></td><td class="wide-only">${esc(k.tracker)}</td></tr>`,
    );
    return (
      `<div class="team"><h3>${esc(t.team ?? 'No team')} <span class="pill orphan">${formatNumber(t.orphanCount)} orphan</span>` +
      (t.staleCount ? ` <span class="pill stale">${formatNumber(t.staleCount)} stale</span>` : '') +
      `</h3><div class="table-wrap"><table class="tickets"><thead><tr><th class="c-key">Ticket</th><th>Title</th><th class="c-verdict">Verdict</th><th class="c-tracker wide-only">Tracker</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
      (more > 0 ? `<p class="more">and ${formatNumber(more)} more</p>` : '') +
      `</div>`
    );
  });
  const hidden = d.teams.length - Math.min(d.teams.length, maxTeams);
  return (
    `<section class="card" id="orphans"><h2>Orphan and stale work by team</h2>` +
    `<p class="note">Open tickets with no lineage to an objective (orphan) or only through retired or ended ones (stale).</p>` +
    (blocks.length ? blocks.join('') : `<p class="empty">No orphan or stale work.</p>`) +
    (hidden > 0 ? `<p class="more">${hidden} more teams not shown.</p>` : '') +
    `</section>`
  );
}

/** "probably belongs under X" (a linking problem) or "candidate new objective" (a strategy gap). */
function placementHtml(p: Digest['themes'][number]['placement']): string {
  if (!p) return '';
  return p.kind === 'new'
    ? `<div class="placement new">candidate new objective: close to no linked work</div>`
    : `<div class="placement belongs">probably belongs under <strong>${esc(p.objectiveTitle)}</strong>${p.nodeTitle !== p.objectiveTitle ? ` (${esc(p.nodeTitle)})` : ''}</div>`;
}

function themes(d: Digest): string {
  const rows = d.themes.map(
    (t) =>
      `<tr><td class="theme-label">${esc(t.label)}${placementHtml(t.placement)}</td><td class="num">${formatNumber(t.count)}</td>` +
      `<td class="num">${percent(t.orphanRate)} vs ${percent(t.otherRate)}</td>` +
      `<td><ul class="plain">${t.examples.map((e) => `<li>${ticketLink(e)} ${esc(e.title)}</li>`).join('')}</ul></td></tr>`,
  );
  return (
    `<section class="card" id="themes"><h2>What orphan work has in common</h2>` +
    `<p class="note">Words and phrases far more frequent in orphan tickets than in the rest of the open work. A cluster here is often a missing objective; one that reads like an objective's linked work is more likely a linking problem.</p>` +
    (rows.length
      ? `<div class="table-wrap"><table><thead><tr><th>Theme</th><th class="num">Tickets</th><th class="num">Orphan vs other</th><th>Examples</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : `<p class="empty">No shared theme among orphan tickets this week.</p>`) +
    `</section>`
  );
}

function objectivesTable(d: Digest): string {
  const rows = d.objectives.map(
    (o) =>
      `<tr><td class="indent-${Math.min(o.depth, 4)}">${esc(o.title)}${o.owner ? `<div class="path">${esc(o.owner)}</div>` : ''}</td>` +
      `<td><span class="pill ${o.status}">${STATUS_LABEL[o.status]}</span></td>` +
      `<td class="num">${formatNumber(o.openCount)}</td><td class="num">${formatNumber(o.finishedThisWeek)}</td>` +
      `<td class="num">${percent(o.actualShare.absolute)}</td><td class="num">${percent(o.targetShare.absolute)}</td>` +
      `<td class="num">${percent(o.actualShare.ofParent)}</td><td class="num">${percent(o.targetShare.ofParent)}</td></tr>`,
  );
  return (
    `<section class="card" id="objectives"><h2>All objectives</h2>` +
    `<p class="note">Open tickets count for a node and all its ancestors, once each. Shares are of aligned open work; “of parent” is the share of the parent's.</p>` +
    `<div class="table-wrap"><table><thead><tr><th>Objective</th><th>Status</th><th class="num">Open</th><th class="num">Finished</th>` +
    `<th class="num">Actual</th><th class="num">Target</th><th class="num">Actual of parent</th><th class="num">Target of parent</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div></section>`
  );
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
  const byEstimate = s.byEstimate === null ? '' : ` By estimate: <strong>${percent(s.byEstimate)}</strong> (${formatNumber(s.estimatedTickets)} estimated tickets).`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    // Links to tickets must not leak a ?token= in the Referer header.
    `<meta name="referrer" content="no-referrer">` +
    // An empty inline icon, so the browser does not ask the server for /favicon.ico.
    `<link rel="icon" href="data:,">` +
    `<title>Cascade digest ${esc(d.isoWeek)}: ${esc(d.headline)}</title><style>${DIGEST_CSS}</style></head><body>` +
    `<header class="nav"><span class="brand">Cascade</span><nav class="weeks" aria-label="Weeks">` +
    weekLink(base, d.previousWeek, options.token, `← ${d.previousWeek}`, 'prev') +
    `<span class="current">${esc(d.isoWeek)} · ${esc(dayRange(d))}</span>${next}</nav></header><main>` +
    `<section class="hero"><p class="eyebrow">Weekly digest · ${esc(d.isoWeek)}</p><h1>${headline(d)}</h1>` +
    `<p class="sub">${formatNumber(s.alignedCount)} of ${formatNumber(s.denominatorCount)} open tickets trace to an objective (exempt and pending work left out).${byEstimate}</p>` +
    kpis(d) +
    `</section><div class="charts">` +
    `<figure class="fig-trend"><figcaption>Aligned share, last ${d.trend.length} weeks<small>By count (solid), by estimate (dashed); gaps are weeks with no data</small></figcaption>${trendChart(d.trend)}</figure>` +
    `<figure class="fig-target"><figcaption>Actual vs target<small>Share of aligned open work per objective</small></figcaption>${targetBarsChart(chartRows(d))}</figure>` +
    `<figure class="fig-team"><figcaption>Orphan and stale work by team<small>Open tickets with no live objective</small></figcaption>${teamBarsChart(d.teams.slice(0, maxTeams))}</figure>` +
    `</div>` +
    emptyObjectives(d) +
    teams(d, maxTeams, options.ticketsPerTeam ?? 8) +
    themes(d) +
    objectivesTable(d) +
    `</main><footer>Computed ${esc(d.generatedAt)} · weeks in ${esc(d.timeZone)} · ${formatNumber(d.totals.records)} tickets recorded, ${formatNumber(d.totals.closed)} closed.` +
    (d.unknownObjectiveTickets ? ` ${formatNumber(d.unknownObjectiveTickets)} tickets name objectives no longer in the tree.` : '') +
    `</footer></body></html>`
  );
}
