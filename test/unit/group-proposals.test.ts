// Grouping proposals by similar title with blocking (src/digest/group-proposals.ts):
// the same groups as comparing every pair, on titles as people write them
// (rewordings, misspellings, different ideas sharing a word), and a bounded
// number of comparisons on 10,000 proposals.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import '../support/property-seed.js';
import { BLOCK_COMPARISONS, groupProposals, similarTitles, titleTokens, withinEditDistance, type GroupingStats } from '../../src/digest/group-proposals.js';
import { editDistance } from '../../src/strategy/closest-name.js';
import type { Proposal } from '../../src/records/proposal.js';

const IDEAS = [
  'Offline mode for field teams', 'Dark mode everywhere', 'Data export for customers', 'Faster onboarding for enterprise',
  'Partner-sourced revenue', 'Audit log for admins', 'Mobile push notifications', 'Usage-based billing',
  'Improve search relevance', 'Improve onboarding emails', 'Self-serve SSO setup', 'Public API rate limits',
];
const WORDINGS = ['', ' everywhere', ' for all teams', ' in the product', ' this quarter'];

/** One letter dropped, doubled or swapped, as people mistype. */
function mistype(title: string, at: number, how: number): string {
  const i = 1 + (at % Math.max(1, title.length - 2));
  if (how === 0) return title.slice(0, i) + title.slice(i + 1);
  if (how === 1) return title.slice(0, i) + title[i] + title.slice(i);
  return title.slice(0, i) + (title[i + 1] ?? '') + title[i] + title.slice(i + 2);
}

const proposalArb = fc.record({
  idea: fc.integer({ min: 0, max: IDEAS.length - 1 }),
  wording: fc.integer({ min: 0, max: WORDINGS.length - 1 }),
  typo: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }))),
});

function asProposals(specs: Array<{ idea: number; wording: number; typo: [number, number] | null }>): Proposal[] {
  return specs.map((s, i) => {
    const base = IDEAS[s.idea]! + WORDINGS[s.wording]!;
    const title = s.typo ? mistype(base, s.typo[0], s.typo[1]) : base;
    return { title, tracker: 'linear', ticketId: `t${i}`, ticketKey: `ENG-${i}`, person: `P${i % 7}`, at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString() };
  });
}

/** Every pair compared, closed transitively: what the blocking must agree with. */
function allPairs(proposals: Proposal[]): string[][] {
  const tokens = proposals.map((p) => titleTokens(p.title));
  const parent = proposals.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < proposals.length; i++) for (let j = i + 1; j < proposals.length; j++) if (similarTitles(tokens[i]!, tokens[j]!)) parent[find(j)] = find(i);
  const groups = new Map<number, string[]>();
  proposals.forEach((p, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), p.ticketKey]));
  return canonical([...groups.values()]);
}

const canonical = (groups: string[][]): string[][] => groups.map((g) => [...g].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));

describe('proposals grouped with blocking', () => {
  it('finds the same groups as comparing every pair', () => {
    fc.assert(
      fc.property(fc.array(proposalArb, { minLength: 1, maxLength: 120 }), (specs) => {
        const proposals = asProposals(specs);
        const blocked = canonical(groupProposals(proposals).map((g) => g.tickets.map((t) => t.key)));
        expect(blocked).toEqual(allPairs(proposals));
      }),
      { numRuns: 60 },
    );
  });

  it('compares a bounded number of pairs on 10,000 proposals, and groups misspellings in a crowd', () => {
    // 10,000 distinct ideas that share their first word and a rarer one, plus one misspelt pair.
    const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x${(i * 7919).toString(36)}`);
    /** A made-up word per proposal, far from the others: letters from a multiplicative hash of i. */
    const tail = (i: number): string => Array.from({ length: 9 }, (_, k) => String.fromCharCode(97 + ((Math.imul(i + 1, 2654435761) >>> (k * 3)) % 26))).join('');
    const others = Array.from({ length: 25 }, (_, i) => `area${String.fromCharCode(97 + i)}${String.fromCharCode(122 - i)}`);
    const proposals: Proposal[] = Array.from({ length: 10_000 }, (_, i) => ({
      title: `Improve ${words[i % 400]} ${others[Math.floor(i / 400)]} ${tail(i)}`,
      tracker: 'jira', ticketId: `${i}`, ticketKey: `OPS-${i}`, person: `P${i % 50}`, at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    }));
    proposals.push({ ...proposals[0]!, title: 'Customer data residency', ticketKey: 'OPS-A', ticketId: 'a' }, { ...proposals[0]!, title: 'Customer data residancy', ticketKey: 'OPS-B', ticketId: 'b' });
    const stats: GroupingStats = { titles: 0, comparisons: 0 };
    const groups = groupProposals(proposals, stats);
    expect(stats.titles).toBe(10_002);
    expect(groups.length).toBeGreaterThan(9_900);
    // Every pair would be 50 million comparisons.
    expect(stats.comparisons).toBeLessThan(10_002 * 3 * BLOCK_COMPARISONS);
    expect(groups.find((g) => g.tickets.some((t) => t.key === 'OPS-A'))?.tickets.map((t) => t.key)).toEqual(['OPS-A', 'OPS-B']);
  });
});

describe('edit distance within a bound', () => {
  it('agrees with the full edit distance', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 14 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 14 }), fc.integer({ min: 0, max: 5 }), (a, b, k) => {
        expect(withinEditDistance(a, b, k)).toBe(editDistance(a, b) <= k);
      }),
      { numRuns: 2000 },
    );
  });
});
