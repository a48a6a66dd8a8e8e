// The config's match and scope entries by what they mean, not by tracker. A
// tracker's part of `match` (match.<tracker>, its shape in tree-schema.ts) uses
// some of these keys, and its part of rules.scope one unit; the core reads any
// tracker's part by them, so lineage, suggestions and verdicts never ask which
// tracker a ticket is in.
import { MatchSchema } from './tree-schema.js';
import type { TrackerId } from './types.js';

/**
 * What each entry matches: `projects` and `initiatives` the ticket's (or an
 * ancestor's) project and the initiatives above it, `issues` a ticket's own key
 * up the parent chain, `labels` a label on any of them. In the order a
 * suggestion offers them as links.
 */
export const MATCH_KEYS = ['projects', 'initiatives', 'issues', 'labels'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** The link a suggestion offers for an entry of each key. */
export const LINK_KINDS = { projects: 'project', initiatives: 'initiative', issues: 'issue', labels: 'label' } as const satisfies Record<MatchKey, string>;

/** A match as the config holds it, read by tracker and key: match.<tracker>.<key>. */
export type MatchEntries = Partial<Record<string, Partial<Record<string, string[]>>>>;

/** The names a node's match lists under one tracker and key. */
export function matchValues(match: unknown, tracker: TrackerId, key: MatchKey): string[] {
  return (match as MatchEntries | undefined)?.[tracker]?.[key] ?? [];
}

const isMatchKey = (key: string): key is MatchKey => (MATCH_KEYS as readonly string[]).includes(key);

/** The trackers that have a part of `match`, with the keys their part may hold, both in the schema's order (validation and diffs list them so). */
export const MATCH_PARTS: ReadonlyArray<{ tracker: TrackerId; keys: MatchKey[] }> = Object.entries(MatchSchema.properties).map(([tracker, part]) => ({
  tracker: tracker as TrackerId,
  keys: Object.keys((part as { properties: object }).properties).filter(isMatchKey),
}));

/** What one of a tracker's rules.scope names is called, by its key there (`teams`: a team). */
export const SCOPE_UNITS: Partial<Record<string, string>> = { teams: 'team', projects: 'project' };
