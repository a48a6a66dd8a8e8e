// What orphan tickets have in common: the words and phrases that are much more
// frequent in orphan work than in the rest of the open work. A cluster of orphan
// tickets is often a missing objective, so this is the digest's bottom-up signal.
//
// Scoring: for each word or phrase, how unlikely it is that so many of the
// tickets using it are orphans if orphans were a random draw of the open work
// (the upper tail of the hypergeometric distribution, Fisher's exact test). The
// cut-off is corrected for the number of terms tested (Benjamini–Hochberg false
// discovery rate), because with hundreds of words some look enriched by chance
// alone; this keeps noise out of large digests while a tight cluster among twenty
// orphans still counts.
import type { VerdictRecord } from '../records/verdict-record.js';
import { forEachTerm, isPhrase } from '../strategy/ticket-terms.js';
import type { Theme, TicketRef } from './types.js';
import type { PlaceTheme } from './theme-placement.js';

/** Options for findThemes; every field has a default. */
export interface ThemeOptions {
  /** Most themes returned. Default 8. */
  maxThemes?: number;
  /** Fewest orphan tickets a theme must span; a single ticket is never a theme. Default 2. */
  minSupport?: number;
  /** At most this many other tickets are read as the background (evenly spaced). Default 4000. */
  backgroundSample?: number;
  /** Characters of each description read. Default 600. */
  maxDescriptionChars?: number;
  /** Expected share of reported terms that are enriched by chance alone (false discovery rate). Default 0.05. */
  maxPValue?: number;
}

interface TermStat {
  orphanDocs: number;
  backgroundDocs: number;
  lastDoc: number;
  lastBackgroundDoc: number;
  /** Orphan document indexes, ascending. */
  docs: number[];
}

interface Candidate {
  term: string;
  stat: TermStat;
  /** Natural log of the tail probability: lower is more telling. */
  logP: number;
}

function textOf(r: VerdictRecord, maxDescription: number): string {
  const d = r.description;
  if (!d) return r.title;
  return `${r.title}\n${d.length > maxDescription ? d.slice(0, maxDescription) : d}`;
}

/** |a ∩ b| for ascending arrays. */
function overlap(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** ln(k!) for k up to n, by cumulative sums: exact enough and cheap for n ≈ 10^5. */
function logFactorials(n: number): Float64Array {
  const logFact = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) logFact[k] = (logFact[k - 1] as number) + Math.log(k);
  return logFact;
}

/** ln P(X ≥ a) for X ~ Hypergeometric(population N, K successes, n draws). */
function logUpperTail(logFact: Float64Array, a: number, K: number, n: number, N: number): number {
  const f = (k: number): number => logFact[k] as number;
  const logC = (x: number, y: number): number => f(x) - f(y) - f(x - y);
  const den = logC(N, n);
  const hi = Math.min(K, n);
  let first = -Infinity;
  let sum = 0;
  for (let x = Math.max(a, K + n - N); x <= hi; x++) {
    const t = logC(K, x) + logC(N - K, n - x) - den;
    if (first === -Infinity) first = t;
    // Above the mean the terms only shrink: stop once they no longer matter.
    else if (t < first - 40) break;
    sum += Math.exp(t - first);
  }
  return first === -Infinity ? 0 : first + Math.log(sum);
}

/**
 * Themes of `orphans` against `others` (the rest of the open work). Only orphan
 * text is fully indexed; the background is read only for terms orphans use, from
 * an evenly spaced sample, so the cost follows the number of orphans.
 */
export function findThemes(
  orphans: readonly VerdictRecord[],
  others: readonly VerdictRecord[],
  toRef: (r: VerdictRecord) => TicketRef,
  options: ThemeOptions = {},
  place?: PlaceTheme,
): Theme[] {
  const maxThemes = options.maxThemes ?? 8;
  const minSupport = Math.max(2, options.minSupport ?? 2);
  const maxDesc = options.maxDescriptionChars ?? 600;
  const maxP = options.maxPValue ?? 0.05;
  const orphanCount = orphans.length;
  if (orphanCount < minSupport || maxThemes <= 0) return [];

  const stats = new Map<string, TermStat>();
  let doc = 0;
  const onOrphanTerm = (term: string): void => {
    let s = stats.get(term);
    if (!s) {
      s = { orphanDocs: 0, backgroundDocs: 0, lastDoc: -1, lastBackgroundDoc: -1, docs: [] };
      stats.set(term, s);
    }
    if (s.lastDoc !== doc) {
      s.lastDoc = doc;
      s.orphanDocs++;
      s.docs.push(doc);
    }
  };
  for (doc = 0; doc < orphanCount; doc++) forEachTerm(textOf(orphans[doc] as VerdictRecord, maxDesc), onOrphanTerm);

  const step = Math.max(1, others.length / Math.max(1, options.backgroundSample ?? 4000));
  let backgroundCount = 0;
  const onOtherTerm = (term: string): void => {
    const s = stats.get(term);
    if (s && s.lastBackgroundDoc !== backgroundCount) {
      s.lastBackgroundDoc = backgroundCount;
      s.backgroundDocs++;
    }
  };
  for (let x = 0; x < others.length; x += step, backgroundCount++) {
    forEachTerm(textOf(others[Math.floor(x)] as VerdictRecord, maxDesc), onOtherTerm);
  }

  const logFact = logFactorials(orphanCount + backgroundCount);
  const tested: Candidate[] = [];
  // Every term with enough support counts as a test, enriched or not.
  let tests = 0;
  for (const [term, stat] of stats) {
    if (stat.orphanDocs < minSupport) continue;
    tests++;
    // Must be at least twice as common among orphans as elsewhere.
    if ((stat.orphanDocs + 0.5) / (orphanCount + 1) < (2 * (stat.backgroundDocs + 0.5)) / (backgroundCount + 1)) continue;
    const logP = backgroundCount === 0 ? -stat.orphanDocs : logUpperTail(logFact, stat.orphanDocs, stat.orphanDocs + stat.backgroundDocs, orphanCount, orphanCount + backgroundCount);
    tested.push({ term, stat, logP });
  }
  // Benjamini–Hochberg: keep the k most telling terms, k the largest with p(k) <= k/m * q.
  tested.sort((a, b) => a.logP - b.logP || b.stat.orphanDocs - a.stat.orphanDocs || (a.term < b.term ? -1 : 1));
  let keep = 0;
  tested.forEach((c, k) => {
    if (c.logP <= Math.log(((k + 1) / Math.max(1, tests)) * maxP)) keep = k + 1;
  });
  // With no other work to compare against, frequent words are all there is to go on.
  const candidates = backgroundCount === 0 ? tested.filter((c) => c.stat.orphanDocs >= Math.max(minSupport, 0.05 * orphanCount)) : tested.slice(0, keep);

  // Phrases by the words they contain, best first, to upgrade a word to its phrase.
  const phrasesByWord = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (!isPhrase(c.term)) continue;
    for (const w of c.term.split(' ')) {
      const list = phrasesByWord.get(w);
      if (list) list.push(c);
      else phrasesByWord.set(w, [c]);
    }
  }

  const chosen: Candidate[] = [];
  const used = new Set<string>();
  for (const c of candidates) {
    if (chosen.length >= maxThemes) break;
    // A phrase that carries most of a word's tickets is the better label ("dark mode" over "dark").
    const pick = (!isPhrase(c.term) && phrasesByWord.get(c.term)?.find((p) => p.stat.orphanDocs >= 0.75 * c.stat.orphanDocs)) || c;
    if (used.has(pick.term)) continue;
    // Skip what an earlier theme already covers: mostly the same tickets is the same theme.
    const covered = chosen.some((t) => overlap(pick.stat.docs, t.stat.docs) >= 0.7 * pick.stat.orphanDocs);
    used.add(pick.term);
    if (!covered) chosen.push(pick);
  }

  return chosen.map((c) => {
    const theme = describe(c, orphans, orphanCount, backgroundCount, toRef, maxDesc);
    const placement = place?.(theme.label);
    return placement ? { ...theme, placement } : theme;
  });
}

/** Label by the most common surface form; examples prefer tickets whose title says it. */
function describe(
  c: Candidate,
  orphans: readonly VerdictRecord[],
  orphanCount: number,
  backgroundCount: number,
  toRef: (r: VerdictRecord) => TicketRef,
  maxDesc: number,
): Theme {
  const surfaces = new Map<string, number>();
  const inTitle: VerdictRecord[] = [];
  const elsewhere: VerdictRecord[] = [];
  for (const d of c.stat.docs.slice(0, 40)) {
    const r = orphans[d] as VerdictRecord;
    let titleHit = false;
    forEachTerm(r.title, (term, surface) => {
      if (term === c.term) {
        titleHit = true;
        surfaces.set(surface, (surfaces.get(surface) ?? 0) + 1);
      }
    });
    if (!titleHit) {
      forEachTerm(textOf(r, maxDesc), (term, surface) => {
        if (term === c.term) surfaces.set(surface, (surfaces.get(surface) ?? 0) + 1);
      });
    }
    (titleHit ? inTitle : elsewhere).push(r);
  }
  let label = c.term;
  let best = 0;
  for (const [s, n] of surfaces) {
    if (n > best) {
      best = n;
      label = s;
    }
  }
  return {
    label,
    term: c.term,
    count: c.stat.orphanDocs,
    orphanRate: c.stat.orphanDocs / orphanCount,
    otherRate: backgroundCount === 0 ? 0 : c.stat.backgroundDocs / backgroundCount,
    examples: distinctFirst([...inTitle, ...elsewhere]).slice(0, 3).map(toRef),
  };
}

/** Tickets with titles not seen yet first, so three examples show three different things. */
function distinctFirst(records: VerdictRecord[]): VerdictRecord[] {
  const seen = new Set<string>();
  const fresh: VerdictRecord[] = [];
  const repeats: VerdictRecord[] = [];
  for (const r of records) {
    const t = r.title.trim().toLowerCase();
    (seen.has(t) ? repeats : fresh).push(r);
    seen.add(t);
  }
  return [...fresh, ...repeats];
}
