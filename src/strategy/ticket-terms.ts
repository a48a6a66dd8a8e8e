// The terms of ticket text: stemmed words and two-word phrases. Suggestions are
// scored on those of a ticket's title and description, the title counted more (people put what the
// work is in the title, and the how in the description). Pure.

import { STOP_WORDS, stemWord } from './english-words.js';

const WORD_RE = /[\p{L}\p{N}]+|[.,;:!?()[\]{}\n"“”]/gu;
const DIGITS_RE = /^\p{N}+$/u;

/**
 * Calls `onTerm` for every stemmed word and adjacent-word phrase ("a b") of `text`,
 * in order, with the surface words they came from; repeats are reported each time.
 * A phrase never spans a stop word, a digit-only word or punctuation (quotes
 * included): "sign in with Google" gives no "sign google", which would be a
 * label nobody wrote. The one tokeniser of ticket text: suggestions score these
 * terms, and the digest's orphan themes are made of them.
 */
export function forEachTerm(text: string, onTerm: (term: string, surface: string) => void): void {
  let prev: string | null = null;
  let prevSurface = '';
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
    const raw = m[0];
    if (raw.length === 1 && !/[\p{L}\p{N}]/u.test(raw)) {
      prev = null;
      continue;
    }
    const word = raw.toLowerCase();
    if (word.length < 2 || STOP_WORDS.has(word) || DIGITS_RE.test(word)) {
      prev = null;
      continue;
    }
    const s = stemWord(word);
    onTerm(s, word);
    if (prev !== null) onTerm(`${prev} ${s}`, `${prevSurface} ${word}`);
    prev = s;
    prevSurface = word;
  }
}

/** Stemmed words and adjacent-word phrases ("a b") of `text`, repeats included, in order. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (term) => out.push(term));
  return out;
}

export function isPhrase(term: string): boolean {
  return term.includes(' ');
}

/** How much each field counts: the title carries the most signal per word. */
export interface FieldWeights {
  title: number;
  description: number;
}

export const DEFAULT_FIELD_WEIGHTS: FieldWeights = { title: 2, description: 1 };

/** Weighted term counts of a ticket's (or a node's) title and description. */
export function weightedTerms(title: string, description: string | undefined, weights: FieldWeights = DEFAULT_FIELD_WEIGHTS, maxDescription = 600): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of termsOf(title)) counts.set(term, (counts.get(term) ?? 0) + weights.title);
  if (description) {
    for (const term of termsOf(description.slice(0, maxDescription))) counts.set(term, (counts.get(term) ?? 0) + weights.description);
  }
  return counts;
}
