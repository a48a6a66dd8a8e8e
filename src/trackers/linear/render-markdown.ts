// CommentDoc → the Markdown Linear stores. Linear keeps no data on a comment
// apart from its text: it converts Markdown into its own editor document, and
// HTML comments and unused link definitions do not survive that round trip.
// So Cascade's comment is the one by its own account (`isMe`) that ends in the
// smallest footer that does survive: one italic line, `cascade:<fingerprint>`
// (22 characters; it was `Cascade · cascade:check:<fingerprint>`). The
// fingerprint stays because it keeps a person's comment posted through the same
// API key from being taken for Cascade's, and an unchanged comment unedited.
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
  blocks.push(`_${markerFor(doc.fingerprint)}_`);
  return blocks.join('\n\n');
}
