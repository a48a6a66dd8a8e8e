// The digest's three inline SVG charts, drawn by hand so the page needs no
// script and no external asset. Each chart scales with its container (viewBox)
// and carries a <title> and <desc> for screen readers and printed copies.
import { formatNumber, percent, truncate } from './escape.js';
import { html, type Html } from './html.js';
import type { ObjectiveRow, TeamWork, TrendPoint } from './types.js';

const W = 480;
// Attribute runs shared by every label; markup of Cascade's own, so they pass through unescaped.
const FONT = html`font-family="inherit" font-size="13"`;
const LABEL = html`font-family="inherit" font-size="14"`;
export const COLORS = { aligned: '#2f6fde', estimate: '#8fb3ef', target: '#1c2433', orphan: '#e0802b', stale: '#8a63d2', grid: '#e3e7ee', muted: '#6b7485' };

function svg(id: string, height: number, title: string, desc: string, body: Html[]): Html {
  return html`<svg class="chart" id="${id}" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMinYMin meet"><title id="${id}-title">${title}</title><desc id="${id}-desc">${desc}</desc>${body}</svg>`;
}

const shortWeek = (isoWeek: string): string => isoWeek.replace(/^\d{4}-/, '');

/** Aligned share by count (solid) and by estimate (dashed) per week; a week without data breaks the line. */
export function trendChart(points: TrendPoint[]): Html {
  const h = 230;
  const left = 48;
  const right = W - 20;
  const top = 16;
  const bottom = h - 34;
  const n = Math.max(1, points.length - 1);
  const x = (i: number): number => left + ((right - left) * i) / n;
  const y = (v: number): number => bottom - (bottom - top) * Math.min(1, Math.max(0, v));
  const desc = points.map((p) => `${p.isoWeek}: ${p.byCount === null ? 'no data' : percent(p.byCount)}`).join('; ');
  const parts: Html[] = [];
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      html`<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="${COLORS.grid}"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${COLORS.muted}" ${FONT}>${v * 100}%</text>`,
    );
  }
  points.forEach((p, i) => {
    parts.push(html`<text x="${x(i)}" y="${h - 12}" text-anchor="middle" fill="${COLORS.muted}" ${FONT}>${shortWeek(p.isoWeek)}</text>`);
  });
  const line = (key: 'byCount' | 'byEstimate', color: string, dashed: boolean): void => {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      const v = p[key];
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    });
    if (d) parts.push(html`<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"${dashed ? html` stroke-dasharray="5 4"` : ''}/>`);
    points.forEach((p, i) => {
      const v = p[key];
      if (v !== null) parts.push(html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${key === 'byCount' ? 4 : 3}" fill="${color}"/>`);
    });
  };
  line('byEstimate', COLORS.estimate, true);
  line('byCount', COLORS.aligned, false);
  const last = points[points.length - 1];
  if (last && last.byCount !== null) {
    const ly = y(last.byCount);
    parts.push(
      html`<text x="${x(points.length - 1) - 8}" y="${ly < top + 20 ? ly + 20 : ly - 10}" text-anchor="end" font-weight="700" fill="${COLORS.aligned}" ${FONT}>${percent(last.byCount)}</text>`,
    );
  }
  if (points.every((p) => p.byCount === null)) {
    parts.push(html`<text x="${(left + right) / 2}" y="${(top + bottom) / 2}" text-anchor="middle" fill="${COLORS.muted}" ${FONT}>No data yet</text>`);
  }
  return svg('trend-chart', h, 'Aligned share of open work, last weeks', desc, parts);
}

/** Actual vs intended absolute share per objective: a bar for the actual share, a tick for the target. */
export function targetBarsChart(rows: ObjectiveRow[]): Html {
  const rowH = 42;
  const h = Math.max(60, rows.length * rowH + 34);
  const left = 12;
  const right = W - 84;
  const max = Math.max(0.5, ...rows.map((r) => Math.max(r.actualShare.absolute ?? 0, r.targetShare.absolute ?? 0)));
  const x = (v: number): number => left + (right - left) * (v / max);
  const desc = rows
    .map((r) => `${r.title}: actual ${percent(r.actualShare.absolute)}, target ${percent(r.targetShare.absolute)}`)
    .join('; ');
  const parts = rows.map((r, i) => {
    const top = 8 + i * rowH;
    const actual = r.actualShare.absolute ?? 0;
    const indent = r.depth * 12;
    const t = r.targetShare.absolute;
    const status = r.status === 'active' ? '' : html`<tspan fill="${COLORS.muted}" font-weight="400"> (${r.status})</tspan>`;
    return html`<g><title>${r.title}</title><text x="${left + indent}" y="${top + 12}" fill="${COLORS.target}"${r.depth === 0 ? html` font-weight="600"` : ''} ${LABEL}>${truncate(r.title, 52 - r.depth * 3)}${status}</text>${[
      html`<rect x="${left}" y="${top + 18}" width="${right - left}" height="14" rx="3" fill="${COLORS.grid}" opacity="0.5"/>`,
      html`<rect x="${left}" y="${top + 18}" width="${Math.max(0, x(actual) - left).toFixed(1)}" height="14" rx="3" fill="${COLORS.aligned}" opacity="${r.depth === 0 ? 1 : 0.7}"/>`,
      t === null ? '' : html`<rect x="${(x(t) - 1.5).toFixed(1)}" y="${top + 14}" width="3" height="22" fill="${COLORS.target}"/>`,
      html`<text x="${W - 6}" y="${top + 30}" text-anchor="end" fill="${COLORS.target}" ${FONT}>${percent(r.actualShare.absolute)}<tspan fill="${COLORS.muted}">${t === null ? '' : ` / ${percent(t)}`}</tspan></text>`,
    ]}</g>`;
  });
  const ly = h - 12;
  parts.push(
    html`<rect x="${left}" y="${ly - 9}" width="12" height="10" rx="2" fill="${COLORS.aligned}"/><text x="${left + 18}" y="${ly}" fill="${COLORS.muted}" ${FONT}>actual</text>`,
    html`<rect x="${left + 80}" y="${ly - 11}" width="3" height="14" fill="${COLORS.target}"/><text x="${left + 90}" y="${ly}" fill="${COLORS.muted}" ${FONT}>target</text>`,
  );
  return svg('target-chart', h, 'Actual vs target share of aligned work per objective', desc || 'No objectives', parts);
}

/** Orphan and stale tickets per team, stacked, most first. */
export function teamBarsChart(teams: TeamWork[]): Html {
  const rowH = 30;
  const h = Math.max(60, teams.length * rowH + 40);
  const left = 84;
  const right = W - 52;
  const max = Math.max(1, ...teams.map((t) => t.total));
  const x = (v: number): number => ((right - left) * v) / max;
  const desc = teams.map((t) => `${t.team ?? 'No team'}: ${t.orphanCount} orphan, ${t.staleCount} stale`).join('; ');
  const parts = teams.map((t, i) => {
    const top = 8 + i * rowH;
    const ow = x(t.orphanCount);
    return html`<g><title>${`${t.team ?? 'No team'}: ${t.orphanCount} orphan, ${t.staleCount} stale`}</title>${[
      html`<text x="${left - 8}" y="${top + 16}" text-anchor="end" fill="${COLORS.target}" ${LABEL}>${truncate(t.team ?? 'No team', 11)}</text>`,
      html`<rect x="${left}" y="${top + 4}" width="${ow.toFixed(1)}" height="16" fill="${COLORS.orphan}" rx="2"/>`,
      html`<rect x="${(left + ow).toFixed(1)}" y="${top + 4}" width="${x(t.staleCount).toFixed(1)}" height="16" fill="${COLORS.stale}" rx="2"/>`,
      html`<text x="${(left + ow + x(t.staleCount) + 6).toFixed(1)}" y="${top + 16}" fill="${COLORS.target}" ${FONT}>${formatNumber(t.total)}</text>`,
    ]}</g>`;
  });
  if (teams.length === 0) {
    parts.push(html`<text x="${W / 2}" y="30" text-anchor="middle" fill="${COLORS.muted}" ${FONT}>No orphan or stale work</text>`);
  }
  const ly = h - 12;
  parts.push(
    html`<rect x="${left}" y="${ly - 9}" width="12" height="10" rx="2" fill="${COLORS.orphan}"/><text x="${left + 18}" y="${ly}" fill="${COLORS.muted}" ${FONT}>orphan</text>`,
    html`<rect x="${left + 84}" y="${ly - 9}" width="12" height="10" rx="2" fill="${COLORS.stale}"/><text x="${left + 102}" y="${ly}" fill="${COLORS.muted}" ${FONT}>stale</text>`,
  );
  return svg('team-chart', h, 'Orphan and stale tickets per team', desc || 'No orphan or stale work', parts);
}
