// Bottom-up proposals grouped by similar title: "Offline mode", "offline-mode
// for field teams" and "Ofline mode" are one candidate objective. Titles are
// compared as normalised word sets (Jaccard) and, for short titles, by edit
// distance, and groups are closed transitively (union-find).
//
// Up to 10,000 proposals (PRODUCT.md, "Bounded proposals"): comparing every
// pair is 50 million comparisons. Instead identical titles (after
// normalising) are grouped at once, and a title is compared only with titles
// that share a block with it: one of its words, or a word one letter away
// (each word's one-letter deletions, as in SymSpell). In a block, a title is
// compared with at most BLOCK_COMPARISONS earlier titles of other groups, so
// the work is bounded by titles × blocks × BLOCK_COMPARISONS whatever the
// titles. Pure: plain data in and out; the worker runs it (workers/group-proposals-job.ts).
import type { Proposal } from '../records/proposal.js';

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
/**
 * Earlier titles of other groups a title is compared with, per block. A block
 * this crowded is a common word ("improve"); a title that belongs with a group
 * there is nearly always also in a rarer block with it.
 */
export const BLOCK_COMPARISONS = 32;
/** Titles looked at per block, compared or not. */
const BLOCK_LOOKS = 2 * BLOCK_COMPARISONS;
/** Words shorter than this get no one-letter variants (too many unrelated short words collide). */
const VARIANT_MIN_LENGTH = 4;

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
  return similar(formOf(a), formOf(b));
}

/** A title as it is compared: its words, and them joined for the edit distance. */
interface TitleForm {
  tokens: string[];
  joined: string;
}

const formOf = (tokens: string[]): TitleForm => ({ tokens, joined: tokens.join(' ') });

function similar(x: TitleForm, y: TitleForm): boolean {
  const a = x.tokens;
  const b = y.tokens;
  if (a.length === 0 || b.length === 0) return false;
  let shared = 0;
  for (const t of a) if (b.includes(t)) shared++;
  if (shared / (a.length + b.length - shared) >= JACCARD) return true;
  // One title a longer wording of the other: "Dark mode everywhere", "Dark mode across the product".
  if (shared >= 2 && shared / Math.min(a.length, b.length) >= OVERLAP) return true;
  // Misspellings: the joined forms a letter or two apart.
  const limit = Math.max(1, Math.floor(Math.min(x.joined.length, y.joined.length) / 6));
  return withinEditDistance(x.joined, y.joined, limit);
}

/**
 * Whether the edit distance of a and b is at most k: only the band of width k
 * around the diagonal is computed (Ukkonen), and it stops once a whole row is
 * past k. The same answer as editDistance(a, b) <= k, in O(length × k).
 */
export function withinEditDistance(a: string, b: string, k: number): boolean {
  if (Math.abs(a.length - b.length) > k) return false;
  if (a === b) return true;
  const big = k + 1;
  let prev = new Array<number>(b.length + 1);
  let curr = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= k ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - k);
    const to = Math.min(b.length, i + k);
    curr[from - 1] = from - 1 === 0 && i <= k ? i : big;
    let best = curr[from - 1]!;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      curr[j] = v > big ? big : v;
      if (curr[j]! < best) best = curr[j]!;
    }
    if (to < b.length) curr[to + 1] = big;
    if (best > k) return false;
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]! <= k;
}

/** The blocks a title is filed under: its words and, for longer words, each word with one letter left out. */
function blocksOf(tokens: string[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) {
    out.add(t);
    if (t.length < VARIANT_MIN_LENGTH) continue;
    for (let i = 0; i < t.length; i++) out.add(t.slice(0, i) + t.slice(i + 1));
  }
  return out;
}

export interface GroupingStats {
  /** Distinct titles after normalising. */
  titles: number;
  /** Pairs of titles compared. */
  comparisons: number;
}

export function groupProposals(proposals: Proposal[], stats?: GroupingStats): ProposalGroup[] {
  // Oldest first, so that the result does not depend on the order the store answered in.
  const ordered = [...proposals].sort((a, b) => a.at.localeCompare(b.at));
  // Identical titles once normalised are one group without comparing anything.
  const distinct = new Map<string, TitleForm & { members: Proposal[] }>();
  for (const p of ordered) {
    const tokens = titleTokens(p.title);
    const key = tokens.length > 0 ? tokens.join(' ') : `\u0000${p.title.trim().toLowerCase()}`;
    const entry = distinct.get(key);
    if (entry) entry.members.push(p);
    else distinct.set(key, { ...formOf(tokens), members: [p] });
  }
  const titles = [...distinct.values()];
  const parent = titles.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const blocks = new Map<string, number[]>();
  let comparisons = 0;
  const compared = new Set<number>();
  titles.forEach((title, i) => {
    compared.clear();
    for (const block of blocksOf(title.tokens)) {
      const members = blocks.get(block);
      if (!members) {
        blocks.set(block, [i]);
        continue;
      }
      let budget = BLOCK_COMPARISONS;
      // Newest first; one comparison per group is enough, since a match joins the whole group. The titles
      // looked at are bounded too: a crowded block's newest are mostly ones already compared through another block.
      for (let m = members.length - 1, seen = 0; m >= 0 && budget > 0 && seen < BLOCK_LOOKS; m--, seen++) {
        const j = members[m]!;
        if (compared.has(j) || find(j) === find(i)) continue;
        compared.add(j);
        budget--;
        comparisons++;
        if (similar(title, titles[j]!)) parent[find(j)] = find(i);
      }
      members.push(i);
    }
  });
  if (stats) {
    stats.titles = titles.length;
    stats.comparisons = comparisons;
  }
  const groups = new Map<number, Proposal[]>();
  titles.forEach((t, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(...t.members);
    else groups.set(root, [...t.members]);
  });
  return [...groups.values()].map(summarise).sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function summarise(members: Proposal[]): ProposalGroup {
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
}
