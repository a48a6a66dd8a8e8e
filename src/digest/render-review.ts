// The review sections of the digest ("Ending within 30 days", "Proposed by the
// teams") for each renderer: HTML, Slack mrkdwn lines and plain text. Kept
// apart from the main renderers so each adds one call. All user text escaped.
import { formatNumber, safeHttpUrl } from './escape.js';
import { html, type Html } from './html.js';
import { endingSentence, type Review, type ReviewTicket } from './review.js';
import type { ProposalGroup } from './group-proposals.js';

function ticketHtml(t: { key: string; url?: string }): Html {
  const url = safeHttpUrl(t.url);
  const key = html`<span class="key">${t.key}</span>`;
  return url ? html`<a href="${url}" rel="noopener noreferrer">${key}</a>` : key;
}

function examplesHtml(list: ReviewTicket[], total: number): Html | string {
  if (!list.length) return '';
  return html`${list.map((t, i) => html`${i ? ', ' : ''}${ticketHtml(t)}`)}${total > list.length ? ` and ${formatNumber(total - list.length)} more` : ''}`;
}

export function reviewHtml(review: Review | undefined): Html | string {
  if (!review) return '';
  const ending = review.endingSoon.map(
    (n) =>
      html`<tr><td>${endingSentence(n)}${n.path.length ? html`<div class="path">${n.path.join(' › ')}</div>` : ''}</td><td class="num">${n.daysLeft === 0 ? 'today' : `${formatNumber(n.daysLeft)} d`}</td><td class="num">${formatNumber(n.openTickets)}</td><td class="num">${formatNumber(n.estimate)}</td><td>${examplesHtml(n.examples, n.openTickets)}</td></tr>`,
  );
  const upcoming = review.upcoming.map(
    (n) => html`<li>${n.title}: starts ${n.start} (in ${formatNumber(n.daysLeft)} days)${n.openTickets ? `, ${formatNumber(n.openTickets)} open tickets planned ahead` : ''}</li>`,
  );
  return html`<section class="card" id="ending-soon"><h2>Ending within ${formatNumber(review.days)} days</h2>
<p class="note">Objectives whose period ends soon. Their open work turns stale that day: move it to a live objective, or let it lapse.</p>
${ending.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Objective</th><th class="num">Left</th><th class="num">Open</th><th class="num">Estimate</th><th>Tickets</th></tr></thead><tbody>${ending}</tbody></table></div>`
    : html`<p class="empty">No objective ends within ${formatNumber(review.days)} days.</p>`}
${upcoming.length ? html`<h3>Not started yet</h3><ul class="plain">${upcoming}</ul>` : ''}
</section>`;
}

/** Groups beyond the largest few listed (a digest archived before the cap has no count). */
const moreGroups = (review: Review): number => Math.max(0, (review.proposalGroups ?? 0) - review.proposals.length);

export function proposalsHtml(review: Review | undefined): Html | string {
  if (!review) return '';
  const rows = review.proposals.map(
    (g) =>
      html`<tr><td class="theme-label">${g.title}${g.titles.length > 1 ? html`<div class="path">also: ${g.titles.filter((t) => t !== g.title).join(' · ')}</div>` : ''}</td><td class="num">${formatNumber(g.count)}</td><td>${g.people.join(', ')}</td><td>${g.tickets.map((t, i) => html`${i ? ', ' : ''}${ticketHtml(t)}`)}</td></tr>`,
  );
  return html`<section class="card" id="proposals"><h2>Proposed by the teams</h2>
<p class="note">Objectives people proposed with <code>/cascade propose</code>, similar titles grouped: bottom-up candidates for the next review.</p>
${rows.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Proposal</th><th class="num">Times</th><th>People</th><th>Tickets</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="empty">No proposals yet. Anyone can write <code>/cascade propose &lt;objective&gt;</code> in a comment.</p>`}
${moreGroups(review) ? html`<p class="note">${formatNumber(moreGroups(review))} smaller groups more: <code>GET /admin/proposals</code> lists them all.</p>` : ''}
</section>`;
}

/** Slack mrkdwn sections: the caller escapes nothing more; `link` makes a safe mrkdwn link. */
export function reviewSlackTexts(review: Review | undefined, escapeSlack: (s: string) => string, link: (url: string | undefined, label: string) => string): string[] {
  if (!review) return [];
  const out: string[] = [];
  if (review.endingSoon.length) {
    const lines = review.endingSoon.map((n) => `• ${escapeSlack(endingSentence(n))}${n.examples.length ? ` (${n.examples.map((t) => link(t.url, t.key)).join(', ')})` : ''}`);
    out.push(`*Ending within ${review.days} days*\n${lines.join('\n')}`);
  }
  if (review.proposals.length) {
    const lines = review.proposals.map((g: ProposalGroup) => `• *${escapeSlack(g.title)}*: ${g.count} by ${escapeSlack(g.people.join(', '))} (${g.tickets.map((t) => link(t.url, t.key)).join(', ')})`);
    out.push(`*Proposed by the teams*\n${lines.join('\n')}`);
  }
  return out;
}

export function reviewTextLines(review: Review | undefined, clean: (s: string) => string): string[] {
  if (!review) return [];
  const out: string[] = ['', `Ending within ${review.days} days`];
  if (!review.endingSoon.length) out.push('  (nothing ends in the window)');
  for (const n of review.endingSoon) {
    out.push(`  - ${clean(endingSentence(n))}`);
    if (n.examples.length) out.push(`    e.g. ${clean(n.examples.map((t) => t.key).join(', '))}`);
  }
  for (const n of review.upcoming) out.push(`  - not started: ${clean(n.title)} starts ${n.start}`);
  out.push('', 'Proposed by the teams');
  if (!review.proposals.length) out.push('  (no proposals yet)');
  for (const g of review.proposals) out.push(`  - ${clean(g.title)}: ${g.count} by ${clean(g.people.join(', '))} (${clean(g.tickets.map((t) => t.key).join(', '))})`);
  return out;
}
