// Flattens an Atlassian Document Format body to plain text, enough to find
// Cascade's marker and to feed suggestions. Strings (API v2 bodies, old
// webhooks) pass through unchanged.

interface AdfLike {
  type?: unknown;
  text?: unknown;
  content?: unknown;
  attrs?: Record<string, unknown>;
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule', 'tableRow']);

export function adfToText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return '';
  const out: string[] = [];
  walk(body as AdfLike, out, 0);
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
}

function walk(node: AdfLike, out: string[], depth: number): void {
  // Hostile or broken documents must not blow the stack.
  if (depth > 100) return;
  const type = typeof node.type === 'string' ? node.type : '';
  if (type === 'text' && typeof node.text === 'string') out.push(node.text);
  else if (type === 'hardBreak') out.push('\n');
  else if (type === 'mention' || type === 'emoji' || type === 'status') out.push(String(node.attrs?.text ?? node.attrs?.shortName ?? ''));
  else if (type === 'inlineCard' || type === 'blockCard') out.push(String(node.attrs?.url ?? ''));
  if (type === 'listItem') out.push('- ');
  if (Array.isArray(node.content)) {
    for (const child of node.content) {
      if (typeof child === 'object' && child !== null) walk(child as AdfLike, out, depth + 1);
    }
  }
  if (BLOCKS.has(type)) out.push('\n');
}
