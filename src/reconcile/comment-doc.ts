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

/**
 * What every marker Cascade ever wrote contains: today's `cascade:<fp>` and the
 * older `cascade:check:<fp>`, so one search finds comments of either age.
 */
export const COMMENT_MARKER_PREFIX = 'cascade:';

/**
 * The marker of a comment whose tracker keeps no data apart from the text
 * (Linear): as short as a fingerprint allows. Jira keeps it in a comment property.
 */
export function markerFor(fingerprint: string): string {
  return `${COMMENT_MARKER_PREFIX}${fingerprint}`;
}

/** Both marker forms; fingerprints are hex, so a person's "cascade:check" is none. */
const MARKER = /cascade:(?:check:)?([0-9a-f]+)(?![0-9a-z])/;

/** The fingerprint in a body that carries Cascade's marker (either form), or null when it has none. */
export function fingerprintIn(body: string): string | null {
  return MARKER.exec(body)?.[1] ?? null;
}
