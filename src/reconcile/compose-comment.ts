// Cascade's comment, as structured content: what is missing, the closest
// objectives with what to link, how to exempt. Short and friendly. Pure.
// Anyone who can read the ticket reads it, so `rules.comment.reveal` bounds
// what it names of the strategy tree: `path` the nodes with their path,
// `objective` only root objectives' titles, `none` only where to link.
import { createHash } from 'node:crypto';
import type { Block, CommentDoc, Inline } from './comment-doc.js';
import type { Resolution } from '../strategy/decide-verdict.js';
import type { IndexedNode, StrategyIndex } from '../strategy/strategy-index.js';
import type { Suggestion } from '../strategy/suggest-objectives.js';
import type { TicketSnapshot } from '../strategy/types.js';
import type { TrackerWords } from '../strategy/tracker-words.js';
import { exemptionConfirmation } from './compose-reply.js';
import { movedWords, moveWords, type LinkTarget, type NumberedLink } from '../commands/link-target.js';

export interface CommentContext {
  ticket: TicketSnapshot;
  /** How the ticket's tracker names its things (its descriptor's words). */
  words: TrackerWords;
  resolution: Resolution;
  index: StrategyIndex;
  suggestions: Suggestion[];
  /** PUBLIC_URL, for a link to the explanation. */
  publicUrl?: string;
  /** The suggestions' targets a person can take with `/cascade link N` (numbers as shown). */
  links?: NumberedLink[];
  /** Cascade just moved the ticket at this person's request (the aligned edit names them). */
  linked?: { person: string; target: LinkTarget };
}

export function composeNudge(kind: 'orphan' | 'stale', ctx: CommentContext): CommentDoc {
  const blocks: Block[] = [];
  const { ticket, resolution, index, words } = ctx;
  if (kind === 'orphan') {
    blocks.push(para(b('This ticket is not linked to a company objective yet.'), t(` Cascade found no path from ${ticket.key} to the strategy tree: ${words.breakPoint(ticket)}`)));
  } else {
    const path = resolution.paths[0];
    const state = path?.state;
    const node = state && state.state !== 'active' ? index.nodes.get(state.nodeId) : undefined;
    const why = state?.state === 'retired' ? 'was retired' : state?.state === 'ended' ? `ended on ${state.endedOn}` : 'is no longer active';
    const named = revealed(index, node);
    blocks.push(para(b('This ticket serves an objective that is no longer active.'), t(` It is linked through ${path?.via.join(' → ') ?? 'its parents'} to `), ...(named ? [b(named), t(`, which ${why}.`)] : [t(`an objective that ${why}.`)])));
  }
  const links = index.rules.commands ? (ctx.links ?? []) : [];
  const lines = suggestionLines(words, ctx.suggestions, index, links);
  if (lines.length > 0) {
    const intro = index.rules.reveal === 'none' ? 'Where it may belong, from its title and description:' : 'Closest objectives, from its title and description:';
    blocks.push({ ...para(t(intro)), part: 'suggestions' });
    blocks.push({ kind: 'list', items: lines, part: 'suggestions' });
  } else {
    // Below the confidence floor a guess would do more harm than good.
    blocks.push({ ...para(t('Cascade found no close match among the objectives for its title and description.')), part: 'suggestions' });
  }
  const first = links[0];
  if (first) {
    // The one-step fix, part of the suggestions: it changes with them, not the comment's substance.
    const others = links.slice(1).map((l) => `/cascade link ${l.n}`);
    blocks.push({ ...para(b('To fix it in one step:'), t(' reply '), c('/cascade link 1'), t(` to ${moveWords(words, first.target)}`), ...(others.length ? [t(' (or '), ...others.flatMap((o, i) => [...(i > 0 ? [t(', ')] : []), c(o)]), t(' for the others)')] : []), t('; '), c('/cascade link <name>'), t(` takes any ${words.linkContainer} under an objective. Or by hand: ${fixHint(words, ctx.suggestions)}`)), part: 'suggestions' });
  } else {
    blocks.push(para(b('To fix it:'), t(' '), t(fixHint(words, ctx.suggestions))));
  }
  const exempt = exemptHint(index, words);
  if (index.rules.commands) blocks.push(para(b('Not strategy work?'), t(' Comment '), c('/cascade exempt <reason>'), t(exempt ? `, or ${exempt}` : ' and Cascade leaves it alone.')));
  else if (exempt) blocks.push(para(b('Not strategy work?'), t(` ${exempt}`)));
  if (ctx.publicUrl) {
    blocks.push(para(link('Why Cascade says this', `${ctx.publicUrl}/admin/explain/${ticket.tracker}/${encodeURIComponent(ticket.key)}`), t(' (admin view)')));
  }
  // What the suggestions may name is substance, though they are not (see finish).
  const doc = finish(blocks, index.rules.reveal);
  doc.suggestions = ctx.suggestions.map((s) => ({ nodeId: s.nodeId, links: s.links }));
  return doc;
}

export function composeResolved(kind: 'aligned' | 'exempt', ctx: CommentContext): CommentDoc {
  const by = ctx.resolution.exemptBy;
  if (kind === 'exempt' && by?.kind === 'command') return exemptionConfirmation({ reason: by.value, person: by.by ?? 'someone', until: by.until, restricted: by.restricted });
  if (kind === 'exempt') {
    return finish([para(b('✅ Resolved:'), t(` this ticket is now exempt from objective checks (${ctx.resolution.reason}).`))]);
  }
  const path = ctx.resolution.paths.find((p) => p.state.state === 'active') ?? ctx.resolution.paths[0];
  const root = path ? ctx.index.nodes.get(path.nodeIds[path.nodeIds.length - 1] ?? '') : undefined;
  const matched = path ? ctx.index.nodes.get(path.nodeIds[0] ?? '') : undefined;
  const reveal = ctx.index.rules.reveal;
  const serves = reveal === 'none' || !root ? [t('a company objective')] : [b(root.title)];
  const linked = ctx.linked;
  const lead = linked ? [b(`✅ Linked by Cascade at ${linked.person}'s request:`), t(` ${movedWords(ctx.words, linked.target)}.`)] : [b('✅ Linked:')];
  return finish([
    para(...lead, t(linked ? ' This ticket now serves ' : ' this ticket now serves '), ...serves, t(reveal === 'path' && matched && matched !== root ? ` (${matched.title})` : ''), t(path ? ` through ${path.via.join(' → ')}.` : '.'), t(' Thanks!')),
  ]);
}

/** The name a comment may give a node: its own title, its root objective's, or none. */
function revealed(index: StrategyIndex, node: IndexedNode | undefined): string | null {
  if (!node) return index.rules.reveal === 'none' ? null : 'an objective';
  if (index.rules.reveal === 'path') return node.title;
  if (index.rules.reveal === 'none') return null;
  return rootOf(index, node).title;
}

function rootOf(index: StrategyIndex, node: IndexedNode): IndexedNode {
  let at = node;
  for (let parent = at.parentId === null ? undefined : index.nodes.get(at.parentId); parent; parent = parent.parentId === null ? undefined : index.nodes.get(parent.parentId)) at = parent;
  return at;
}

/**
 * One line per suggestion, as much as `reveal` allows: `path` the node with its
 * path; `objective` its root objective (lines that say the same once);
 * `none` only where to link (suggestions with nowhere to link are left out).
 */
function suggestionLines(words: TrackerWords, suggestions: Suggestion[], index: StrategyIndex, links: NumberedLink[]): Inline[][] {
  const reveal = index.rules.reveal;
  const lines: Inline[][] = [];
  const seen = new Set<string>();
  for (const s of suggestions) {
    const line: Inline[] = [];
    const numbered = links.find((l) => l.nodeId === s.nodeId);
    // "(1)", not "1.": a list item that starts with "1." would render as a list inside the list.
    if (numbered) line.push(t(`(${numbered.n}) `));
    if (reveal === 'path') {
      line.push(b(s.title));
      if (s.path.length > 1) line.push(t(` (${s.path.slice(0, -1).join(' › ')})`));
    } else if (reveal === 'objective') {
      line.push(b(s.path[0] ?? s.title));
    } else if (s.links.length === 0 && !numbered) continue;
    s.links.forEach((l, i) => {
      if (i > 0) line.push(t(', '));
      else if (line.length > (numbered ? 1 : 0)) line.push(t(': '));
      const what = l.kind === 'issue' ? words.issueLink : l.kind;
      line.push(t(`${what} `), c(l.name));
    });
    if (numbered) {
      line.push(t(' — '), c(`/cascade link ${numbered.n}`));
      // A suggestion named by an initiative links through one of its projects or epics, and one with several
      // links takes one of them: say which, so the line and the command agree.
      const shown = s.links.some((l) => sameName(l.name, numbered.target));
      if (!shown || s.links.length > 1) line.push(t(` to ${moveWords(words, numbered.target)}`));
    }
    const key = JSON.stringify(line);
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(line);
  }
  return lines;
}

function fixHint(words: TrackerWords, suggestions: Suggestion[]): string {
  return words.fixHint(suggestions[0]?.links[0]);
}

function exemptHint(index: StrategyIndex, words: TrackerWords): string | null {
  const labels = index.rules.exempt.labels;
  // Issue types only where the tracker has them: only those readers can act on that half.
  const types = words.issueTypes ? index.rules.exempt.issueTypes : [];
  const parts: string[] = [];
  if (labels.length) parts.push(`add one of the labels ${labels.map((l) => `"${l}"`).join(', ')}`);
  if (types.length) parts.push(`use the issue type ${types.map((l) => `"${l}"`).join(' or ')}`);
  return parts.length ? `${parts.join(', or ')} and Cascade leaves it alone.` : null;
}

const t = (text: string): Inline => ({ text });
const b = (text: string): Inline => ({ text, bold: true });
const c = (text: string): Inline => ({ text, code: true });
const link = (text: string, href: string): Inline => ({ text, href });
const para = (...content: Inline[]): Block => ({ kind: 'paragraph', content: content.filter((i) => i.text.length > 0) });

function finish(blocks: Block[], reveal: StrategyIndex['rules']['reveal'] = 'path'): CommentDoc {
  // Suggestions stay out of the fingerprint (see BlockPart); how much they reveal does not.
  const substance: unknown[] = blocks.filter((block) => block.part !== 'suggestions');
  if (reveal !== 'path') substance.push(reveal);
  const fingerprint = createHash('sha256').update(JSON.stringify(substance)).digest('hex').slice(0, 12);
  return { blocks, fingerprint };
}

/** The suggestion's link names the same thing the number moves the ticket to. */
function sameName(name: string, target: NumberedLink['target']): boolean {
  const wanted = name.trim().toLowerCase();
  return target.name.trim().toLowerCase() === wanted || (target.kind === 'parent' && target.key.toLowerCase() === wanted);
}
