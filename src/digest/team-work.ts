// Orphan and stale work grouped by team: the digest's "who carries unlinked work".
import type { VerdictRecord } from '../records/verdict-record.js';
import type { TeamWork, TicketRef } from './types.js';

export function estimateOf(r: VerdictRecord): number {
  const e = r.estimate;
  return typeof e === 'number' && e > 0 && Number.isFinite(e) ? e : 0;
}

export function toTicketRef(r: VerdictRecord): TicketRef {
  return {
    tracker: r.tracker,
    key: r.key,
    title: r.title,
    ...(r.url !== undefined ? { url: r.url } : {}),
    team: r.team ?? null,
    verdict: r.verdict,
    estimate: typeof r.estimate === 'number' && Number.isFinite(r.estimate) ? r.estimate : null,
  };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** "ENG-9" before "ENG-10": digit runs compare as numbers. No allocation (it runs per comparison). */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // Skip leading zeros, then the longer run is the larger number.
      while (i < ei - 1 && a.charCodeAt(i) === 48) i++;
      while (j < ej - 1 && b.charCodeAt(j) === 48) j++;
      if (ei - i !== ej - j) return ei - i - (ej - j);
      for (; i < ei; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d;
      }
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** Accumulates per team during the digest's pass; `finish` sorts and caps. */
export class TeamTally {
  private readonly teams = new Map<string | null, { orphan: number; stale: number; estimate: number; records: VerdictRecord[] }>();

  add(r: VerdictRecord, estimate: number): void {
    const key = r.team ?? null;
    let t = this.teams.get(key);
    if (!t) {
      t = { orphan: 0, stale: 0, estimate: 0, records: [] };
      this.teams.set(key, t);
    }
    if (r.verdict === 'orphan') t.orphan++;
    else t.stale++;
    t.estimate += estimate;
    t.records.push(r);
  }

  finish(maxTickets: number): TeamWork[] {
    const out: TeamWork[] = [];
    for (const [team, t] of this.teams) {
      t.records.sort((a, b) => (a.verdict === b.verdict ? naturalCompare(a.key, b.key) : a.verdict === 'orphan' ? -1 : 1));
      const shown = t.records.slice(0, Math.max(0, maxTickets));
      out.push({
        team,
        orphanCount: t.orphan,
        staleCount: t.stale,
        total: t.orphan + t.stale,
        estimate: t.estimate,
        tickets: shown.map(toTicketRef),
        moreTickets: t.records.length - shown.length,
      });
    }
    return out.sort(
      (a, b) =>
        b.total - a.total ||
        (a.team === null ? 1 : b.team === null ? -1 : naturalCompare(a.team, b.team)),
    );
  }
}
