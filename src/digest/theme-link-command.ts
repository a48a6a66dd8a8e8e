// The command that links a theme's tickets where the digest says they
// "probably belong" (`cascade link`, through POST /admin/link): shown beside
// that line so an owner fixes a backlog in one step. Pure.

/** `cascade link --theme "csv export" --to data-portability`. */
export function themeLinkCommand(label: string, nodeId: string): string {
  return `cascade link --theme "${label.replace(/["\\]/g, '')}" --to ${nodeId}`;
}
