// One tokeniser of ticket text: the terms suggestions are scored on are the
// terms the digest's orphan themes are made of, quotes included.
import { describe, expect, it } from 'vitest';
import { forEachTerm, termsOf } from '../../src/strategy/ticket-terms.js';

const themeTerms = (text: string): string[] => {
  const out: string[] = [];
  forEachTerm(text, (term) => out.push(term));
  return out;
};

describe('ticket terms', () => {
  it('a quoted word starts no phrase with the words around it, for suggestions and themes alike', () => {
    const title = 'Dashboard "exports" broken';
    expect(termsOf(title)).toEqual(['dashboard', 'export', 'broken']);
    expect(themeTerms(title)).toEqual(termsOf(title));
    expect(themeTerms('Dashboard “exports” broken')).toEqual(termsOf(title));
  });

  it('gives each term with the surface words it came from', () => {
    const seen: Array<[string, string]> = [];
    forEachTerm('CSV exports fail', (term, surface) => seen.push([term, surface]));
    expect(seen).toEqual([
      ['csv', 'csv'],
      ['export', 'exports'],
      ['csv export', 'csv exports'],
      ['fail', 'fail'],
      ['export fail', 'exports fail'],
    ]);
  });
});
