// "Will the strategy land?" in the digest, for each renderer: HTML (with a small
// chart per objective), Slack mrkdwn texts and plain text lines. The report comes
// from the workers (src/forecast/forecast-report.ts); this only words it. Every
// title, key and customer name is the user's text: escaped by the `html` tag, by
// the Slack escaper or by the text cleaner the caller passes in.
import { formatNumber, percent } from './escape.js';
import { html, type Html } from './html.js';
import { forecastChart, shortDate } from './forecast-chart.js';
import type { ForecastReport, NodeForecast, TeamCapacityView } from '../forecast/forecast-report.js';

/** Cut-line keys listed; the rest are counted. */
const CUT_KEYS = 12;

const pct = (p: number): string => `${Math.round(p * 100)}%`;
const perWeek = (n: number): string => (n >= 10 ? formatNumber(Math.round(n)) : n.toFixed(1));
const money = (n: number): string => `$${formatNumber(Math.round(n))}`;

function titles(report: ForecastReport): (id: string) => string {
  const known = new Map<string, string>([...report.allocation.map((a) => [a.nodeId, a.title] as const), ...report.forecasts.map((f) => [f.id, f.title] as const)]);
  return (id) => known.get(id) ?? id;
}

/** "74% likely by 31 Dec; P85 10 Jan" */
export function forecastSentence(f: NodeForecast, today: string): string {
  const v = f.forecast;
  const when = (d: string | null): string => (d ? shortDate(d, today) : 'beyond 3 years');
  return `${pct(v.probability)} likely by ${shortDate(f.end, today)} (P50 ${when(v.p50)}, P85 ${when(v.p85)}, P95 ${when(v.p95)})`;
}

function cutLineSentence(f: NodeForecast): string {
  const cut = f.forecast.cutLine;
  if (!cut.length) return 'Nothing falls past the end date at P85.';
  const shown = cut.slice(0, CUT_KEYS).join(', ');
  const more = cut.length > CUT_KEYS ? ` and ${formatNumber(cut.length - CUT_KEYS)} more` : '';
  return `Cut line at P85: ${formatNumber(cut.length)} of ${formatNumber(f.forecast.openTickets)} open tickets miss the end date, in rank order ${shown}${more}.`;
}

/** "load 7.0 a week against capacity 5.2: drop 7 tickets, or move Expand… by 2 weeks" */
export function leverSentence(c: TeamCapacityView, title: (id: string) => string): string {
  if (!c.levers) return '';
  const moves = c.levers.moveEnd.filter((m) => m.weeks !== null).map((m) => `move ${title(m.objectiveId)} by ${m.weeks} week${m.weeks === 1 ? '' : 's'}`);
  const drop = c.levers.dropTickets > 0 ? [`drop ${formatNumber(c.levers.dropTickets)} ticket${c.levers.dropTickets === 1 ? '' : 's'} (${c.levers.dropFrom.map((d) => `${formatNumber(d.tickets)} from ${title(d.objectiveId)}`).join(', ')})`] : [];
  return [...drop, ...moves].join(', or ');
}

const ratioText = (c: TeamCapacityView): string => (c.ratio === null ? 'no capacity left' : `${c.ratio.toFixed(2)}×`);

export function forecastsHtml(report: ForecastReport | undefined): Html | string {
  if (!report) return '';
  const title = titles(report);
  const demandOf = new Map(report.demand.map((d) => [d.id, d]));
  const cards = report.forecasts.map((f, i) => {
    const v = f.forecast;
    const demand = demandOf.get(f.id);
    const cls = v.status.replace(' ', '-');
    return html`<article class="forecast"><h3>${f.title} <span class="pill ${cls}">${v.status}</span></h3>
<p class="forecast-line"><strong>${forecastSentence(f, report.today)}</strong> · ${perWeek(v.weeklyThroughput)} done a week, ${perWeek(v.weeklyCreated)} new a week · ${formatNumber(v.openTickets)} open${v.lowData ? html` · <em>low data: ${formatNumber(v.doneInHistory)} done in ${formatNumber(v.historyWeeks)} weeks, the teams' pace used</em>` : ''}</p>
${forecastChart(f, report.today, `forecast-${i}`)}
<p class="cut-line">${cutLineSentence(f)}</p>
${demand && demand.customers > 0 ? html`<p class="demand-line">Customer demand: ${demand.sentence} (${demand.topCustomers.join(', ')}).</p>` : ''}</article>`;
  });
  const flags = report.healthFlags.map((h) => html`<li><strong>${h.title}</strong>: the latest update of the ${h.kind} “${h.name}” says on track; the forecast says ${h.forecast}.</li>`);
  const drifting = report.allocation.filter((a) => a.driftAlert);
  const over = report.capacity.filter((c) => c.overCommitted);
  const capacityRows = report.capacity.map(
    (c) => html`<tr><td>${c.team}${c.overCommitted ? html` <span class="pill off-track">over-committed</span>` : ''}</td><td class="num">${perWeek(c.capacity)}</td><td class="num">${perWeek(c.load)}</td><td class="num">${ratioText(c)}</td><td class="num">${percent(c.unplannedShare)}</td><td>${c.colliding.map(title).join(' · ')}${c.levers ? html`<div class="path">${leverSentence(c, title)}</div>` : ''}</td></tr>`,
  );
  const allocationRows = report.allocation.map(
    (a) => html`<tr><td>${a.title}${a.driftAlert ? html` <span class="pill off-track">drift alert</span>` : ''}</td><td class="num">${percent(a.actualShare)}</td><td class="num">${percent(a.actualEstimateShare)}</td><td class="num">${percent(a.openShare)}</td><td class="num">${percent(a.targetShare)}</td><td class="num">${formatNumber(a.finished)}</td></tr>`,
  );
  const demandRows = report.demand.filter((d) => d.customers > 0 || d.fieldTotal > 0).map(
    (d) => html`<tr><td>${d.title}</td><td class="num">${formatNumber(d.requests)}</td><td class="num">${formatNumber(d.customers)}</td><td class="num">${money(d.revenue)}</td><td>${d.topCustomers.join(', ')}${d.fieldTotal ? html`<div class="path">Jira customer field: ${formatNumber(d.fieldTotal)}</div>` : ''}</td></tr>`,
  );
  return html`<section class="card" id="will-it-land"><h2>Will the strategy land?</h2>
<p class="note">For each objective with an end date: 10,000 simulated futures replaying the last 12 weeks of work finished under it and new work coming in. The probability is the share that finish by the end date; P50, P85 and P95 are the days by which half, 85% and 95% finish. The cut line is the open work, in the trackers' rank order, that misses the end date in the P85 case.</p>
${flags.length ? html`<div class="alert"><strong>Reported health against the forecast</strong><ul>${flags}</ul></div>` : ''}
${drifting.length ? html`<div class="alert"><strong>Drift alert</strong>: ${drifting.map((a, i) => html`${i ? '; ' : ''}${a.title} got ${percent(a.actualShare)} of the finished work against a target of ${percent(a.targetShare)}`)}, out of band for 3 weeks or more.</div>` : ''}
${cards.length ? html`<div class="forecasts">${cards}</div>` : html`<p class="empty">No active objective has an end date.</p>`}
<h3>Capacity against commitments</h3>
<p class="note">Per team: the work its objectives still need per week until their end dates (load) against what it finishes per week, less the share of its finished work that was unplanned (orphan or exempt) over the last 12 weeks.${over.length ? ` Over-committed: ${over.map((c) => c.team).join(', ')}.` : ''}</p>
${capacityRows.length ? html`<div class="table-wrap"><table><thead><tr><th>Team</th><th class="num">Capacity / week</th><th class="num">Load / week</th><th class="num">Load ÷ capacity</th><th class="num">Unplanned</th><th>Colliding objectives and levers</th></tr></thead><tbody>${capacityRows}</tbody></table></div>` : html`<p class="empty">No team has open work under an objective with an end date and a finished history.</p>`}
<h3>Allocation on finished work</h3>
<p class="note">Share of the planned work finished in the last 4 weeks, by count and by estimate, beside the share of open work and the target. A drift alert starts after 3 weeks out of band (more than 5 points or a quarter of the target away).</p>
${allocationRows.length ? html`<div class="table-wrap"><table><thead><tr><th>Objective</th><th class="num">Finished share</th><th class="num">By estimate</th><th class="num">Open share</th><th class="num">Target</th><th class="num">Finished</th></tr></thead><tbody>${allocationRows}</tbody></table></div>` : html`<p class="empty">No objective has a target share.</p>`}
<h3>Customer demand</h3>
${(report.demandedThemes ?? []).length ? html`<p class="note">Candidate objectives: orphan work that 3 or more customers ask for.</p><ul class="plain">${(report.demandedThemes ?? []).map((t) => html`<li><strong>${t.title}</strong>: ${t.sentence} (${t.topCustomers.join(', ')}), on ${t.tickets.join(', ')}</li>`)}</ul>` : ''}
${demandRows.length ? html`<div class="table-wrap"><table><thead><tr><th>Objective</th><th class="num">Requests</th><th class="num">Customers</th><th class="num">Revenue</th><th>Largest customers</th></tr></thead><tbody>${demandRows}</tbody></table></div>` : html`<p class="empty">No customer requests on work under an objective.</p>`}
</section>`;
}

/** Slack mrkdwn sections; `esc` escapes user text. */
export function forecastSlackTexts(report: ForecastReport | undefined, esc: (s: string) => string): string[] {
  if (!report || !report.forecasts.length) return [];
  const title = titles(report);
  const demandOf = new Map(report.demand.map((d) => [d.id, d]));
  const lines = report.forecasts.map((f) => {
    const cut = f.forecast.cutLine;
    const demand = demandOf.get(f.id);
    return `• *${esc(f.title)}*: ${f.forecast.status}, ${esc(forecastSentence(f, report.today))}${cut.length ? `; cut line ${cut.length} tickets (${esc(cut.slice(0, 5).join(', '))}${cut.length > 5 ? '…' : ''})` : ''}${demand && demand.customers ? `; ${esc(demand.sentence)}` : ''}`;
  });
  const out = [`*Will the strategy land?*\n${lines.join('\n')}`];
  const extra: string[] = [];
  for (const c of report.capacity.filter((c) => c.overCommitted)) extra.push(`• *${esc(c.team)}* over-committed (${ratioText(c)} capacity): ${esc(leverSentence(c, title))}`);
  for (const a of report.allocation.filter((a) => a.driftAlert)) extra.push(`• Drift alert: *${esc(a.title)}* got ${percent(a.actualShare)} of the finished work (target ${percent(a.targetShare)})`);
  for (const h of report.healthFlags) extra.push(`• *${esc(h.title)}*: “${esc(h.name)}” reports on track, the forecast says ${h.forecast}`);
  for (const t of report.demandedThemes ?? []) extra.push(`• Candidate objective: *${esc(t.title)}*, orphan work ${esc(t.sentence)}`);
  if (extra.length) out.push(extra.join('\n'));
  return out;
}

/** Plain text lines; `clean` strips control characters from user text. */
export function forecastTextLines(report: ForecastReport | undefined, clean: (s: string) => string): string[] {
  if (!report) return [];
  const title = titles(report);
  const out = ['', 'Will the strategy land? (forecasts from the last 12 weeks)'];
  if (!report.forecasts.length) out.push('  No active objective has an end date.');
  const demandOf = new Map(report.demand.map((d) => [d.id, d]));
  for (const f of report.forecasts) {
    const v = f.forecast;
    out.push(`  ${clean(f.title)}: ${v.status.toUpperCase()}, ${clean(forecastSentence(f, report.today))}`);
    out.push(`    ${perWeek(v.weeklyThroughput)} done a week, ${perWeek(v.weeklyCreated)} new a week, ${formatNumber(v.openTickets)} open${v.lowData ? ', low data' : ''}`);
    out.push(`    ${clean(cutLineSentence(f))}`);
    const demand = demandOf.get(f.id);
    if (demand && demand.customers) out.push(`    Customer demand: ${clean(demand.sentence)} (${clean(demand.topCustomers.join(', '))})`);
  }
  if (report.capacity.length) {
    out.push('', 'Capacity against commitments (per week)');
    for (const c of report.capacity) {
      out.push(`  ${clean(c.team)}: load ${perWeek(c.load)} against capacity ${perWeek(c.capacity)} (${ratioText(c)}, ${percent(c.unplannedShare)} unplanned)${c.overCommitted ? ' OVER-COMMITTED' : ''}`);
      if (c.overCommitted) out.push(`    colliding: ${clean(c.colliding.map(title).join(', '))}`, `    levers: ${clean(leverSentence(c, title))}`);
    }
  }
  if (report.allocation.length) {
    out.push('', 'Allocation on finished work (last 4 weeks): finished / open / target');
    for (const a of report.allocation) out.push(`  ${clean(a.title)}: ${percent(a.actualShare)} / ${percent(a.openShare)} / ${percent(a.targetShare)}${a.driftAlert ? '  DRIFT ALERT' : ''}`);
  }
  for (const t of report.demandedThemes ?? []) out.push('', `Candidate objective from customer demand: ${clean(t.title)}: ${clean(t.sentence)} (${clean(t.tickets.join(', '))})`);
  for (const h of report.healthFlags) out.push('', `Health flag: ${clean(h.title)}: "${clean(h.name)}" reports on track, the forecast says ${h.forecast}`);
  return out;
}
