// Words and two-word phrases of ticket text, for the orphan themes: lower-cased,
// stop words dropped, lightly stemmed so "exports" and "exporting" count together.
// A phrase never spans a stop word or punctuation: "sign in with Google" gives no
// "sign google", which would be a label nobody wrote.

import { STOP_WORDS, stemWord } from '../strategy/english-words.js';

// Words, or one punctuation mark that ends a phrase.
const TOKEN_RE = /[\p{L}\p{N}]+|[.,;:!?()[\]{}\n]/gu;
const DIGITS_RE = /^\p{N}+$/u;

/**
 * Calls `onTerm` for every word and two-word phrase of `text` (stemmed, phrases as
 * "a b"), with the surface words they came from. Repeats are reported each time;
 * the caller dedupes per document.
 */
export function forEachTerm(text: string, onTerm: (term: string, surface: string) => void): void {
  let prevStem: string | null = null;
  let prevSurface = '';
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const raw = m[0];
    const code = raw.charCodeAt(0);
    // Punctuation (all ASCII, length 1 and not a letter or digit) breaks a phrase.
    if (raw.length === 1 && code < 128 && !/[A-Za-z0-9]/.test(raw)) {
      prevStem = null;
      continue;
    }
    const word = raw.toLowerCase();
    if (word.length < 2 || STOP_WORDS.has(word) || DIGITS_RE.test(word)) {
      prevStem = null;
      continue;
    }
    const s = stemWord(word);
    onTerm(s, word);
    if (prevStem !== null) onTerm(`${prevStem} ${s}`, `${prevSurface} ${word}`);
    prevStem = s;
    prevSurface = word;
  }
}

export function isPhrase(term: string): boolean {
  return term.includes(' ');
}
