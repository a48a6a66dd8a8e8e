// The labelled corpora for the suggestion benchmark (bench/corpus/): a strategy
// tree and tickets with the node a person linked each one to. `ledgerly` (an
// invoicing SaaS) has teams that follow its objectives; `helpdesk` (Tandem, a
// support helpdesk) has every ticket in one team, so only the words count.
// Splits are seeded shuffles: half the tickets are linked (the examples Cascade
// learns from), the other half are scored as orphans.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/parse-document.js';
import { validateConfig } from '../src/config/validate-config.js';
import { compileStrategy, type StrategyIndex } from '../src/strategy/strategy-index.js';
import { prng } from './digest-fixture.js';

export interface CorpusTicket {
  nodeId: string;
  team: string;
  title: string;
  description: string;
}

export interface Corpus {
  index: StrategyIndex;
  tickets: CorpusTicket[];
}

const dir = new URL('./corpus/', import.meta.url);
// Compiled to dist/bench: the corpus stays beside the sources.
const corpusFile = (name: string): string => {
  const compiled = fileURLToPath(new URL(name, dir));
  return compiled.replace(`${'/dist/bench/'}`, '/bench/');
};

export type CorpusName = 'ledgerly' | 'helpdesk';

export function loadCorpus(name: CorpusName = 'ledgerly'): Corpus {
  const parsed = parseConfigText(readFileSync(corpusFile(`${name}-tree.yaml`), 'utf8'));
  if (!parsed.ok) throw new Error(`corpus tree: ${JSON.stringify(parsed.issues)}`);
  const valid = validateConfig(parsed.value);
  if (!valid.ok) throw new Error(`corpus tree: ${JSON.stringify(valid.issues)}`);
  const index = compileStrategy(valid.config);
  const tickets: CorpusTicket[] = [];
  for (const line of readFileSync(corpusFile(`${name}-tickets.txt`), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [nodeId, team, title, description] = line.split('|').map((s) => s.trim());
    if (!nodeId || !team || !title || !index.nodes.has(nodeId)) throw new Error(`corpus ticket names no node of the tree: ${line}`);
    tickets.push({ nodeId, team, title, description: description ?? '' });
  }
  return { index, tickets };
}

export function split<T>(items: readonly T[], seed: number): { linked: T[]; scored: T[] } {
  const rnd = prng(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  const half = Math.floor(shuffled.length / 2);
  return { linked: shuffled.slice(0, half), scored: shuffled.slice(half) };
}

/**
 * `count` plausible linked tickets made by recombining the corpus: the title of
 * one ticket and the description of another under the same node, some words
 * dropped, a ticket number added, so the index sees many distinct texts.
 */
export function recombine(tickets: readonly CorpusTicket[], count: number, seed: number): CorpusTicket[] {
  const rnd = prng(seed);
  const byNode = new Map<string, CorpusTicket[]>();
  for (const t of tickets) byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t]);
  const groups = [...byNode.values()];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const thin = (text: string): string => text.split(' ').filter(() => rnd() > 0.15).join(' ');
  return Array.from({ length: count }, (_, i) => {
    const group = pick(groups);
    const a = pick(group);
    const b = pick(group);
    return { nodeId: a.nodeId, team: rnd() < 0.8 ? a.team : b.team, title: `${thin(a.title)} (${i})`, description: `${thin(b.description)} ref ${Math.floor(rnd() * 100000)}` };
  });
}
