// The digest as a Slack Block Kit message for an incoming webhook. User text is
// escaped for mrkdwn (&, <, >: https://api.slack.com/reference/surfaces/formatting#escaping)
// and every block stays inside Block Kit's limits, by whole lines, so a link or
// an entity is never cut in half.
import { themeLinkCommand } from './theme-link-command.js';
import { teamExemptionLine } from './people-exemptions.js';
import { formatNumber, percent, safeHttpUrl } from './escape.js';
import type { Digest, TicketRef } from './types.js';
import { reviewSlackTexts } from './render-review.js';
import { forecastSlackTexts } from './render-forecasts.js';

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = { blocks: 50, text: 3000, fieldText: 2000, fields: 10, headerText: 150, buttonText: 75 } as const;

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: SlackText; url: string; style?: 'primary' }> };

export interface SlackPayload {
  /** Shown in notifications and where blocks cannot be. */
  text: string;
  blocks: SlackBlock[];
}

/** Escapes Slack's three control characters in user text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A mrkdwn link to an http(s) url, or the escaped label alone. */
function link(url: string | undefined, label: string): string {
  const safe = safeHttpUrl(url);
  // `|` and `>` would end the url part of <url|label> early.
  return safe ? `<${safe.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeSlack(label)}>` : escapeSlack(label);
}

/** Joins whole lines up to `max` characters, then says how many were left out. */
function fitLines(lines: string[], max: number): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const more = `\n…and ${lines.length - i} more`;
    const next = out ? `${out}\n${line}` : line;
    if (next.length + (i < lines.length - 1 ? more.length : 0) > max) return out ? out + more : cut(line, max);
    out = next;
  }
  return out;
}

const md = (text: string, max: number = SLACK_LIMITS.text): SlackText => ({ type: 'mrkdwn', text: cut(text, max) });
const ticket = (t: TicketRef): string => link(t.url, t.key);

export interface SlackOptions {
  /** Base of the digest page; default `digest.publicUrl`. No button without one. */
  publicUrl?: string;
  /** Objectives and teams shown as fields. Default and Block Kit maximum 10. */
  maxFields?: number;
}

export function renderDigestSlack(d: Digest, options: SlackOptions = {}): SlackPayload {
  const maxFields = Math.min(SLACK_LIMITS.fields, options.maxFields ?? SLACK_LIMITS.fields);
  const s = d.share;
  const o = d.totals.open;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`Cascade digest · ${d.isoWeek}`, SLACK_LIMITS.headerText), emoji: true } },
    {
      type: 'section',
      text: md(
        `*${escapeSlack(d.headline)}*\n` +
          `By count: *${percent(s.byCount)}* (${formatNumber(s.alignedCount)} of ${formatNumber(s.denominatorCount)} open tickets)` +
          ` · by estimate: *${percent(s.byEstimate)}* · finished this week: *${formatNumber(d.totals.finishedThisWeek)}*`,
      ),
    },
    {
      type: 'context',
      elements: [md(`Orphan ${formatNumber(o.orphan)} · Stale ${formatNumber(o.stale)} · Exempt ${formatNumber(o.exempt)} · Pending ${formatNumber(o.pending)} · ${d.firstDay} to ${d.lastDay} (${escapeSlack(d.timeZone)})`)],
    },
  ];
  const people = d.exemptedByPeople;
  if (people && people.total > 0) {
    // Beside the share: tickets people exempted this week leave its denominator.
    const lines = people.teams.slice(0, maxFields).map((row) => `• ${escapeSlack(teamExemptionLine(row))}`);
    blocks.push({ type: 'context', elements: [md(cut(`*Exempted by people this week: ${formatNumber(people.total)}* (left out of the share)\n${lines.join('\n')}`, SLACK_LIMITS.text))] });
  }

  const roots = d.objectives.filter((x) => x.depth === 0 && x.status !== 'retired');
  if (roots.length) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: md('*Objectives: actual vs target share of aligned work*'),
      fields: roots.slice(0, maxFields).map((x) =>
        md(
          `*${escapeSlack(x.title)}*\n${percent(x.actualShare.absolute)} actual · ${percent(x.targetShare.absolute)} target\n` +
            `${formatNumber(x.openCount)} open · ${formatNumber(x.finishedThisWeek)} finished`,
          SLACK_LIMITS.fieldText,
        ),
      ),
    });
  }

  if (d.emptyObjectives.length || d.staleObjectives.length) {
    const lines = [
      ...d.emptyObjectives.map((x) => `• ${escapeSlack(x.title)}${x.depth > 0 ? ' _(sub-goal)_' : ''}`),
      ...d.staleObjectives.map((x) => `• ${escapeSlack(x.title)}: ${x.status}, still ${formatNumber(x.openCount)} open tickets`),
    ];
    blocks.push({ type: 'section', text: md(`*Objectives with no open work*\n${fitLines(lines, SLACK_LIMITS.text - 40)}`) });
  }

  if (d.teams.length) {
    blocks.push({
      type: 'section',
      text: md('*Orphan and stale work by team*'),
      fields: d.teams.slice(0, maxFields).map((t) =>
        md(
          `*${escapeSlack(t.team ?? 'No team')}*: ${formatNumber(t.orphanCount)} orphan${t.staleCount ? ` · ${formatNumber(t.staleCount)} stale` : ''}\n` +
            t.tickets.slice(0, 3).map(ticket).join(', '),
          SLACK_LIMITS.fieldText,
        ),
      ),
    });
  }

  if (d.themes.length) {
    const lines = d.themes.map(
      (t) =>
        `• *${escapeSlack(t.label)}*: ${formatNumber(t.count)} orphan tickets, e.g. ${t.examples.map(ticket).join(', ')}` +
        (t.placement?.kind === 'new' ? ' _(candidate new objective)_' : t.placement ? ` _(probably belongs under ${escapeSlack(t.placement.objectiveTitle)}: \`${escapeSlack(themeLinkCommand(t.label, t.placement.nodeId))}\`)_` : ''),
    );
    blocks.push({ type: 'section', text: md(`*What orphan work has in common*\n${fitLines(lines, SLACK_LIMITS.text - 40)}`) });
  }

  for (const text of reviewSlackTexts(d.review, escapeSlack, link)) {
    const [head, ...lines] = text.split('\n');
    blocks.push({ type: 'section', text: md(`${head}\n${fitLines(lines, SLACK_LIMITS.text - 80)}`) });
  }
  for (const text of forecastSlackTexts(d.forecasts, escapeSlack)) {
    const [head, ...lines] = text.split('\n');
    blocks.push({ type: 'section', text: md(lines.length ? `${head}\n${fitLines(lines, SLACK_LIMITS.text - 80)}` : fitLines([head!], SLACK_LIMITS.text - 80)) });
  }

  const base = safeHttpUrl(options.publicUrl ?? d.publicUrl);
  if (base) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the full digest' }, url: `${base.replace(/\/+$/, '')}/digest`, style: 'primary' }],
    });
  }
  return { text: cut(`Cascade digest ${d.isoWeek}: ${d.headline}`, SLACK_LIMITS.text), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
