// The features suggestions are scored on: stemmed words and two-word phrases of
// a ticket's title and description, the title counted more (people put what the
// work is in the title, and the how in the description). Pure.

import { STOP_WORDS, stemWord } from './english-words.js';

const WORD_RE = /[\p{L}\p{N}]+|[.,;:!?()[\]{}\n"“”]/gu;
const DIGITS_RE = /^\p{N}+$/u;

/** Stemmed words and adjacent-word phrases ("a b") of `text`, repeats included, in order. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  let prev: string | null = null;
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
    out.push(s);
    if (prev !== null) out.push(`${prev} ${s}`);
    prev = s;
  }
  return out;
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
