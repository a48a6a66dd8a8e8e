// Bottom-up proposals grouped by similar title: "Offline mode", "offline-mode
// for field teams" and "Ofline mode" are one candidate objective. Titles are
// compared as normalised word sets (Jaccard) and, for short titles, by edit
// distance, and groups are closed transitively (union-find).
import type { Proposal } from '../records/proposal.js';
import { editDistance } from '../strategy/closest-name.js';

export interface ProposalGroup {
  /** The title written most often in the group (earliest on a tie). */
  title: string;
  /** Every distinct title as people wrote it. */
  titles: string[];
  count: number;
  people: string[];
  tickets: Array<{ tracker: Proposal['tracker']; key: string; url?: string; person: string; at: string }>;
  firstAt: string;
  lastAt: string;
}

/** Two titles are one proposal when this share of their words is shared. */
const JACCARD = 0.5;
/** …or when two or more words are shared and they make this share of the shorter title. */
const OVERLAP = 0.6;

const STOP = new Set(['a', 'an', 'the', 'and', 'or', 'for', 'of', 'to', 'in', 'on', 'with', 'our', 'we', 'new', 'objective']);

/** Lower case, letters and digits only, stop words out, a plural "s" dropped. */
export function titleTokens(title: string): string[] {
  const words = title.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z0-9]+/);
  const out = new Set<string>();
  for (const w of words) {
    if (!w || STOP.has(w)) continue;
    out.add(w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return [...out];
}

export function similarTitles(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const setB = new Set(b);
  const shared = a.filter((t) => setB.has(t)).length;
  if (shared / (a.length + b.length - shared) >= JACCARD) return true;
  // One title a longer wording of the other: "Dark mode everywhere", "Dark mode across the product".
  if (shared >= 2 && shared / Math.min(a.length, b.length) >= OVERLAP) return true;
  // Misspellings: the joined forms a letter or two apart.
  const ja = a.join(' ');
  const jb = b.join(' ');
  return editDistance(ja, jb) <= Math.max(1, Math.floor(Math.min(ja.length, jb.length) / 6));
}

export function groupProposals(proposals: Proposal[]): ProposalGroup[] {
  const tokens = proposals.map((p) => titleTokens(p.title));
  const parent = proposals.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < proposals.length; i++) {
    for (let j = i + 1; j < proposals.length; j++) {
      if (find(i) !== find(j) && similarTitles(tokens[i]!, tokens[j]!)) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, Proposal[]>();
  proposals.forEach((p, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), p]);
  });
  return [...groups.values()]
    .map((members) => {
      const sorted = [...members].sort((a, b) => a.at.localeCompare(b.at));
      const counts = new Map<string, number>();
      for (const m of sorted) counts.set(m.title.trim(), (counts.get(m.title.trim()) ?? 0) + 1);
      const title = [...counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best))[0];
      return {
        title,
        titles: [...counts.keys()],
        count: sorted.length,
        people: [...new Set(sorted.map((m) => m.person))],
        tickets: sorted.map((m) => ({ tracker: m.tracker, key: m.ticketKey, ...(m.ticketUrl ? { url: m.ticketUrl } : {}), person: m.person, at: m.at })),
        firstAt: sorted[0]!.at,
        lastAt: sorted[sorted.length - 1]!.at,
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}
