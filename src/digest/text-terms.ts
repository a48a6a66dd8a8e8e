// Words and two-word phrases of ticket text, for the orphan themes: lower-cased,
// stop words dropped, lightly stemmed so "exports" and "exporting" count together.
// A phrase never spans a stop word or punctuation: "sign in with Google" gives no
// "sign google", which would be a label nobody wrote.

const STOP_WORDS = new Set(
  (
    // Common English function words.
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can cannot could did do does doing done down during each either etc few for from ' +
    'further get gets got had has have having he her here hers him his how however i if in into is it its ' +
    'itself just let lets me more most my no nor not now of off on once only or other our ours out over own ' +
    'per please same she should so some such than that the their theirs them then there these they this ' +
    'those through to too under until up upon us very via was we were what when where which while who whom ' +
    'why will with within without would yet you your yours ' +
    // Words every ticket uses, which say nothing about what the work is.
    'add added adding allow able apply based better change changes check create currently default ' +
    'ensure etc fix fixed fixes handle implement improve improvement issue issues like make many may ' +
    'might must need needed needs new one two use used using want wants way work working'
  ).split(' '),
);

/** Light suffix stripping: enough to merge plurals and -ing/-ed forms of the same word. */
export function stem(word: string): string {
  const n = word.length;
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ed') && !word.endsWith('eed')) return word.slice(0, -2);
  if (n > 4 && word.endsWith('sses')) return word.slice(0, -2);
  if (n > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) {
    return word.slice(0, -1);
  }
  return word;
}

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
    const s = stem(word);
    onTerm(s, word);
    if (prevStem !== null) onTerm(`${prevStem} ${s}`, `${prevSurface} ${word}`);
    prevStem = s;
    prevSurface = word;
  }
}

export function isPhrase(term: string): boolean {
  return term.includes(' ');
}
