// The features suggestions are scored on: stemmed words and two-word phrases of
// a ticket's title and description, the title counted more (people put what the
// work is in the title, and the how in the description). Pure.

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both ' +
    'but by can cannot could did do does doing done down during each either etc few for from further get gets got ' +
    'had has have having he her here him his how however i if in into is it its itself just let lets me more most ' +
    'my no nor not now of off on once only or other our ours out over own per please same she should so some such ' +
    'than that the their them then there these they this those through to too under until up upon us very via was ' +
    'we were what when where which while who whom why will with within without would yet you your ' +
    // Words every ticket uses, which say nothing about what the work is.
    'add added adding allow able better change changes create currently ensure fix fixed fixes handle implement ' +
    'improve issue issues like make many may might must need needed needs new one two use used using want wants ' +
    'way work working today instead still'
  ).split(' '),
);

/** Light suffix stripping: plurals and -ing/-ed forms of one word count together. */
export function stemWord(word: string): string {
  const n = word.length;
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ed') && !word.endsWith('eed')) return word.slice(0, -2);
  if (n > 4 && word.endsWith('sses')) return word.slice(0, -2);
  if (n > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

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
