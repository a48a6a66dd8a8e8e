// The ADF checks Jira Cloud applies to API v3 bodies, as far as Cascade meets
// them: a body must be a `doc` (a plain string gets "Comment body is not valid!",
// see TRACKERS.md §7) and a text node may not be empty or blank.
import type { AdfNode } from './types.js';

/** Why `value` is not an acceptable ADF document, or null when it is. */
export function adfProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an ADF document';
  const doc = value as AdfNode;
  if (doc.type !== 'doc') return 'the root node must be a doc';
  if (doc.version !== 1) return 'the doc version must be 1';
  if (!Array.isArray(doc.content)) return 'the doc has no content array';
  return nodeProblem(doc, 0);
}

function nodeProblem(node: AdfNode, depth: number): string | null {
  if (depth > 50) return 'the document nests too deeply';
  if (typeof node !== 'object' || node === null || typeof node.type !== 'string') return 'a node has no type';
  if (node.type === 'text') {
    if (typeof node.text !== 'string' || node.text.trim() === '') return 'a text node is empty';
    return null;
  }
  if (node.content === undefined) return null;
  if (!Array.isArray(node.content)) return `the ${node.type} node's content is not an array`;
  for (const child of node.content) {
    const problem = nodeProblem(child, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** A one-paragraph document, as the Jira UI stores a single line of text. */
export function adfFromText(text: string): AdfNode {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })),
  };
}

/** The plain text of a body, for JQL's `~` operator. */
export function adfPlainText(body: AdfNode | string | null): string {
  if (body === null) return '';
  if (typeof body === 'string') return body;
  const parts: string[] = [];
  const walk = (node: AdfNode): void => {
    if (typeof node.text === 'string') parts.push(node.text);
    for (const child of node.content ?? []) walk(child);
  };
  walk(body);
  return parts.join(' ');
}
