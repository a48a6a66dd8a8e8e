// 10,000 proposals as an organisation's people would write them: a few dozen
// popular ideas in several wordings, some misspelt, and a long tail of ideas
// proposed once. Deterministic (a counter-based hash), so runs compare.
import type { Proposal } from '../src/records/proposal.js';

const POPULAR = [
  'Offline mode for field teams', 'Dark theme', 'Data export for customers', 'Faster enterprise onboarding',
  'Partner-sourced revenue', 'Audit log for admins', 'Mobile push notifications', 'Usage-based billing',
  'Improve search relevance', 'Self-serve SSO setup', 'Public API rate limits', 'EU data residency',
  'Reduce cloud spend', 'Accessibility audit of the web client', 'Customer feedback widget', 'Two-factor authentication for all users',
  'Localise into Spanish', 'Real-time collaboration on documents', 'Slack integration for alerts', 'Cut support ticket backlog',
];
// Wordings of one word: longer ones make two different ideas look alike (the similarity counts every word alike).
const WORDINGS = ['', '', ' soon', ' please', ' asap'];
// The long tail: an idea of its own shares at most a word or two with most others (as real ones do), so it stays alone.
const ADJECTIVES = ['faster', 'simpler', 'shared', 'automated', 'secure', 'guided', 'smarter', 'bulk', 'scheduled', 'custom', 'unified', 'visual',
  'offline', 'private', 'public', 'weekly', 'nightly', 'instant', 'regional', 'tiered', 'annual', 'granular', 'audited', 'branded',
  'searchable', 'printable', 'versioned', 'encrypted', 'localised', 'mobile', 'cheaper', 'clearer', 'lighter', 'safer', 'quieter', 'richer'];
const NOUNS = ['invoices', 'dashboards', 'reports', 'workflows', 'imports', 'permissions', 'templates', 'webhooks', 'exports', 'calendars',
  'forms', 'tags', 'comments', 'roles', 'receipts', 'maps', 'charts', 'backups', 'queues', 'reminders', 'contracts', 'quotes', 'refunds',
  'payouts', 'badges', 'surveys', 'playbooks', 'checklists', 'glossaries', 'budgets', 'forecasts', 'shipments', 'returns', 'coupons',
  'licences', 'seats', 'sandboxes', 'previews', 'snapshots', 'timelines', 'kanbans', 'sprints', 'estimates', 'milestones', 'handovers',
  'rotations', 'escalations', 'incidents', 'postmortems', 'runbooks', 'alerts', 'metrics', 'traces', 'logs', 'tokens', 'keys', 'certificates',
  'domains', 'mailboxes', 'signatures'];

/** MurmurHash3's finaliser over i and a salt: independent-looking picks for each salt. */
function hash(i: number, salt: number): number {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mistype(title: string, h: number): string {
  const i = 1 + (h % Math.max(1, title.length - 2));
  return h % 2 === 0 ? title.slice(0, i) + title.slice(i + 1) : title.slice(0, i) + title[i] + title.slice(i);
}

function titleOf(i: number): string {
  const h = hash(i, 1);
  // 60%: a popular idea in some wording, a tenth of them misspelt; 40%: an idea of its own.
  if (h % 10 < 6) {
    const base = POPULAR[hash(i, 2) % POPULAR.length]! + WORDINGS[hash(i, 3) % WORDINGS.length]!;
    return hash(i, 4) % 10 === 0 ? mistype(base, hash(i, 5)) : base;
  }
  // Three different nouns: a repeated one would make a shorter title, alike to many more.
  const n = hash(i, 7) % NOUNS.length;
  const step = 1 + (hash(i, 8) % 19);
  const noun = (k: number): string => NOUNS[(n + k * step) % NOUNS.length]!;
  return `${ADJECTIVES[hash(i, 6) % ADJECTIVES.length]} ${noun(0)}, ${noun(1)} and ${noun(2)}`;
}

/** Proposal i of the corpus (i may go past 10,000: later proposals, for churn). */
export function corpusProposal(i: number, at: Date): Proposal {
  const team = ['ENG', 'WEB', 'OPS', 'DATA'][i % 4]!;
  return {
    title: titleOf(i),
    tracker: i % 3 === 0 ? 'jira' : 'linear',
    ticketId: `ticket-${i}`,
    ticketKey: `${team}-${i + 1}`,
    team,
    person: `Person ${hash(i, 10) % 600}`,
    personId: `user-${hash(i, 10) % 600}`,
    at: at.toISOString(),
  };
}
