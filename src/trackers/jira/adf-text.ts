// Flattens an Atlassian Document Format body to plain text, enough to find
// Cascade's marker and to feed suggestions. Strings (API v2 bodies, old
// webhooks) pass through unchanged. adfOwnText keeps only what the comment's
// author wrote at the top level, where a command may be.

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

/**
 * The comment's own top-level text, where a `/cascade` command may be: each
 * top-level paragraph as adfToText flattens it, and every other block (a
 * quote, a code block, a panel, an expand, a list, a table…) as one line
 * `[type]` that no command starts. So, as on Linear (where `> /cascade …` or a
 * fenced block is not a command), a command quoted from someone else or shown
 * as an example is not run in the name of the person quoting it, and text
 * after such a block is not the comment's first line. Inline code is kept in
 * backticks, as Markdown writes it. A string (wiki markup) is its own text:
 * `bq.`, `{quote}`, `{code}` and `{panel}` already start its first line.
 */
export function adfOwnText(body: unknown): string {
  if (typeof body === 'string') return body;
  const doc = body as AdfLike | null;
  if (typeof doc !== 'object' || doc === null || doc.type !== 'doc' || !Array.isArray(doc.content)) return '';
  const lines: string[] = [];
  for (const block of doc.content as unknown[]) {
    const node = (typeof block === 'object' && block !== null ? block : {}) as AdfLike;
    const type = typeof node.type === 'string' ? node.type : 'unknown';
    if (type !== 'paragraph') {
      lines.push(`[${type}]`);
      continue;
    }
    const out: string[] = [];
    for (const child of Array.isArray(node.content) ? (node.content as unknown[]) : []) {
      if (typeof child !== 'object' || child === null) continue;
      const inline = child as AdfLike & { marks?: unknown };
      const code = Array.isArray(inline.marks) && inline.marks.some((m) => typeof m === 'object' && m !== null && (m as AdfLike).type === 'code');
      if (code && typeof inline.text === 'string') out.push(`\`${inline.text}\``);
      else walk(inline, out, 1);
    }
    lines.push(out.join(''));
  }
  return lines.join('\n');
}
