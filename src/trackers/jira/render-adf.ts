// Renders Cascade's CommentDoc as an ADF document for Jira's API v3, which
// refuses plain strings and empty text nodes (TRACKERS.md §7). No marker in
// the text: the fingerprint goes in the comment's `cascade` property.
import type { CommentDoc, Inline } from '../../reconcile/comment-doc.js';

export interface AdfMark {
  type: 'strong' | 'code' | 'link';
  attrs?: { href: string };
}

export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}

export interface AdfBlock {
  type: 'paragraph' | 'bulletList' | 'listItem';
  content: Array<AdfBlock | AdfText>;
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

function marksOf(inline: Inline): AdfMark[] {
  const marks: AdfMark[] = [];
  // ADF allows `code` together with `link` only, so code wins over bold.
  if (inline.code) marks.push({ type: 'code' });
  else if (inline.bold) marks.push({ type: 'strong' });
  if (inline.href) marks.push({ type: 'link', attrs: { href: inline.href } });
  return marks;
}

/** Text nodes for a run of inlines; blank pieces join a neighbour because Jira rejects blank nodes. */
export function renderInlines(inlines: Inline[]): AdfText[] {
  const nodes: AdfText[] = [];
  let pending = '';
  for (const inline of inlines) {
    if (inline.text === '') continue;
    const last = nodes[nodes.length - 1];
    if (inline.text.trim() === '') {
      if (last) last.text += inline.text;
      else pending += inline.text;
      continue;
    }
    const marks = marksOf(inline);
    nodes.push({ type: 'text', text: pending + inline.text, ...(marks.length > 0 ? { marks } : {}) });
    pending = '';
  }
  return nodes;
}

function paragraph(inlines: Inline[]): AdfBlock | null {
  const content = renderInlines(inlines);
  return content.length > 0 ? { type: 'paragraph', content } : null;
}

export function renderAdf(doc: CommentDoc): AdfDoc {
  const content: AdfBlock[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'paragraph') {
      const p = paragraph(block.content);
      if (p) content.push(p);
      continue;
    }
    const items = block.items
      .map((item) => paragraph(item))
      .filter((p): p is AdfBlock => p !== null)
      .map((p): AdfBlock => ({ type: 'listItem', content: [p] }));
    if (items.length > 0) content.push({ type: 'bulletList', content: items });
  }
  return { type: 'doc', version: 1, content };
}
