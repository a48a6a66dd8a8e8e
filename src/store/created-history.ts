// The tickets created in a window, for the forecasts' scope growth (weekly
// created counts per node and team). Nothing new is stored for it: a ticket
// created inside the last 12 weeks is either still open, and then the sweep
// and the checks keep its verdict record, or it was finished since, and then
// it has a completion record. The two together give every created date in the
// window; the maths buckets them into weeks.
import type { CompletionStore } from './completion-store.js';
import type { VerdictStore } from './verdict-store.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { CompletionRecord } from '../records/completion-record.js';
import type { CreatedTicket } from '../records/created-ticket.js';


/** Tickets created at or after `from`, each once (a done ticket's completion record wins over a stale open record). */
export async function createdSince(stores: { verdicts: VerdictStore; completions: CompletionStore }, from: Date): Promise<CreatedTicket[]> {
  const records: VerdictRecord[] = [];
  for await (const r of stores.verdicts.all()) records.push(r);
  return createdAmong(await stores.completions.since(from), records, from);
}

/** The same from records already read (the forecast job reads both stores once for everything). */
export function createdAmong(completions: Iterable<CompletionRecord>, records: Iterable<VerdictRecord>, from: Date): CreatedTicket[] {
  const byTicket = new Map<string, CreatedTicket>();
  const cutoff = from.getTime();
  for (const r of completions) {
    if (Date.parse(r.createdAt) >= cutoff) byTicket.set(`${r.tracker}:${r.id}`, { tracker: r.tracker, id: r.id, key: r.key, team: r.team, createdAt: r.createdAt, objectiveIds: r.objectiveIds, state: 'done' });
  }
  for (const r of records) {
    const field = `${r.tracker}:${r.id}`;
    if (r.state !== 'open' || !r.createdAt || Date.parse(r.createdAt) < cutoff || byTicket.has(field)) continue;
    byTicket.set(field, { tracker: r.tracker, id: r.id, key: r.key, team: r.team, createdAt: r.createdAt, objectiveIds: r.objectiveIds, state: 'open' });
  }
  return [...byTicket.values()];
}
