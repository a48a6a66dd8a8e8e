// What the suggestions and the digest's themes both read ticket text with: the
// words that say nothing about the work, and a light stemmer. One list, so a
// suggestion and a theme never disagree about what counts as a word.

export const STOP_WORDS: ReadonlySet<string> = new Set(
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
    'ensure fix fixed fixes handle implement improve improvement instead issue issues like make many may ' +
    'might must need needed needs new one still today two use used using want wants way work working'
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
