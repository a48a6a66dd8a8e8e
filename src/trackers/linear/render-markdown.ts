// CommentDoc → the Markdown Linear stores. The marker goes on a last, italic
// line that reads as a signature: Linear converts Markdown into its own editor
// document, and plain text is the one thing certain to survive that round trip
// (HTML comments and unused link definitions are not kept), while people read
// past a signature line.
import { markerFor, type CommentDoc, type Inline } from '../../reconcile/comment-doc.js';

/** Characters Markdown would read as formatting in plain text. */
function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}

function renderInline(inline: Inline): string {
  let text = inline.code ? `\`${inline.text.replace(/`/g, "'")}\`` : escape(inline.text);
  if (inline.bold) text = `**${text}**`;
  if (inline.href) text = `[${text}](${inline.href.replace(/[()\s]/g, encodeURIComponent)})`;
  return text;
}

function renderLine(content: Inline[]): string {
  return content.map(renderInline).join('');
}

export function renderMarkdown(doc: CommentDoc): string {
  const blocks = doc.blocks.map((block) =>
    block.kind === 'paragraph'
      ? renderLine(block.content)
      : block.items.map((item) => `- ${renderLine(item)}`).join('\n'),
  );
  blocks.push(`_Cascade · ${markerFor(doc.fingerprint)}_`);
  return blocks.join('\n\n');
}
