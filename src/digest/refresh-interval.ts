// How fresh the pages' digest of the week in progress is kept: the refresh job
// (workers/current-digest.ts) and the pages that ask for it (src/routes/digest.ts) agree on it.

/** How often the pages' digest is recomputed at most, for all viewers together. */
export const CURRENT_DIGEST_REFRESH_MS = 60_000;
