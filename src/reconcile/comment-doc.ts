// Cascade's comment as structured content, so each adapter renders it in its
// tracker's own format (Markdown for Linear, ADF for Jira) from one source.

export interface Inline {
  text: string;
  bold?: boolean;
  code?: boolean;
  href?: string;
}

export type Block =
  | { kind: 'paragraph'; content: Inline[]; part?: BlockPart }
  | { kind: 'list'; items: Inline[][]; part?: BlockPart };

/**
 * `suggestions`: the closest objectives (or "no close match"). Rendered like any
 * block, but not part of the fingerprint: a suggestion that moves as Cascade
 * learns is no reason to edit a comment.
 */
export type BlockPart = 'suggestions';

export interface CommentDoc {
  blocks: Block[];
  /**
   * A short hash of the content. Adapters embed it in the marker so that an
   * unchanged comment is recognised without comparing rendered bodies.
   */
  fingerprint: string;
  /** What the comment suggests, as data (node ids and where to link), kept apart from the fingerprint. */
  suggestions?: { nodeId: string; links: { kind: string; name: string }[] }[];
}

/** The marker every Cascade comment carries, with the fingerprint after the colon. */
export const COMMENT_MARKER_PREFIX = 'cascade:check';

export function markerFor(fingerprint: string): string {
  return `${COMMENT_MARKER_PREFIX}:${fingerprint}`;
}

/** The fingerprint in a body that carries Cascade's marker, or null when it has none. */
export function fingerprintIn(body: string): string | null {
  const match = new RegExp(`${COMMENT_MARKER_PREFIX}:([a-z0-9]+)`).exec(body);
  return match?.[1] ?? null;
}
