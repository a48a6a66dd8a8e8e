// How far Cascade looks above a ticket, in one place. A check (one ticket, read
// fresh) and a sweep (pages of tickets, names from workspace lookups) must see
// the same ancestry, or they give the same ticket different verdicts and flip
// its label back and forth. The lineage engine, the Linear documents, the Linear
// workspace cache and the Jira ancestry reader all take their limits from here.

/**
 * Parent tickets followed above a ticket. Linear scores each nested level of a
 * document (≈ 110 points per level of the check), and Jira hierarchies rarely
 * pass five levels (sub-task → story → epic → initiative → one level above).
 */
export const PARENT_DEPTH = 5;

/** Initiatives followed from a project: its own, then their parents. */
export const INITIATIVE_DEPTH = 5;

/** Initiatives read per Linear project (each one costs its whole parent chain in a check). */
export const INITIATIVES_PER_PROJECT = 5;

/** Labels read on the ticket itself. */
export const LABELS_PER_TICKET = 50;

/** Labels read on each ancestor: six of them are read per check, so fewer than on the ticket. */
export const LABELS_PER_ANCESTOR = 20;
