// Digests from what is in Redis now: the verdict of every ticket, earlier weeks'
// snapshots and the config in force. Two writers, kept apart on purpose:
// - the digest of the week in progress, recomputed (at most once a minute, by a
//   worker) for the pages, stored as "current" and never archived;
// - the scheduled digest of the week that just ended, archived with the trend
//   snapshot the later weeks' charts are drawn from.
import type { ForecastStore } from '../src/store/forecast-store.js';
import type { ConfigStore } from '../src/store/config-store.js';
import type { DigestStore } from '../src/store/digest-store.js';
import type { VerdictStore } from '../src/store/verdict-store.js';
import type { VerdictRecord } from '../src/records/verdict-record.js';
import { computeDigest, snapshotOf } from '../src/digest/compute.js';
import { finishedWeekOf, isoWeekOf } from '../src/strategy/iso-week.js';
import { CURRENT_DIGEST_REFRESH_MS } from '../src/digest/refresh-interval.js';
import type { Digest } from '../src/digest/types.js';
import type { ProposalStore } from '../src/store/proposal-store.js';
import type { ExemptionStore } from '../src/store/exemption-store.js';

export interface DigestSources {
  configStore: ConfigStore;
  verdicts: VerdictStore;
  digests: DigestStore;
  timeZone: string;
  publicUrl?: string;
  /** Bottom-up proposals for the review section (their stored grouping); none when absent. */
  proposals?: ProposalStore;
  /** Exemptions people set, counted per team beside the share; none when absent. */
  exemptions?: ExemptionStore;
  /** The forecast report the workers keep; the digest shows it when there is one. */
  forecasts?: ForecastStore;
}

/** Computes a digest (of the week `now` falls in, or of `isoWeek`) and writes nothing. */
export async function computeDigestNow(sources: DigestSources, now: Date, isoWeek?: string): Promise<Digest> {
  const [config, history, records, grouping, exemptions, forecasts] = await Promise.all([
    sources.configStore.current(), sources.digests.snapshots(), collect(sources.verdicts.all()), sources.proposals?.grouping() ?? null, sources.exemptions?.list() ?? [], sources.forecasts?.latest() ?? null,
  ]);
  const proposals = { proposals: grouping?.top ?? [], proposalGroups: grouping?.groupCount ?? 0 };
  return computeDigest({ config: config.config, records, history, now, timeZone: sources.timeZone, publicUrl: sources.publicUrl, ...proposals, exemptions, ...(forecasts ? { forecasts } : {}), ...(isoWeek ? { isoWeek } : {}) });
}

/**
 * Recomputes the current digest unless the stored one is of this week and
 * younger than `freshForMs` (a second refresh job queued behind the first finds
 * it fresh and does nothing). Answers the new digest, or null when skipped.
 */
export async function refreshCurrentDigest(sources: DigestSources, now: Date, freshForMs = CURRENT_DIGEST_REFRESH_MS, beforeCompute?: () => Promise<unknown>): Promise<Digest | null> {
  const stamp = await sources.digests.currentStamp();
  if (stamp && stamp.isoWeek === isoWeekOf(now, sources.timeZone) && now.getTime() - Date.parse(stamp.computedAt) < freshForMs) return null;
  // What the digest shows beside the verdicts (the forecasts) is brought up to date first.
  if (beforeCompute) await beforeCompute();
  const digest = await computeDigestNow(sources, now);
  await sources.digests.saveCurrent(digest);
  return digest;
}

/** The scheduled digest: the week that just ended, archived with its trend snapshot. */
export async function archiveFinishedWeek(sources: DigestSources, now: Date): Promise<Digest> {
  const digest = await computeDigestNow(sources, now, finishedWeekOf(now, sources.timeZone));
  await sources.digests.save(digest, snapshotOf(digest));
  return digest;
}

async function collect(records: AsyncIterable<VerdictRecord>): Promise<VerdictRecord[]> {
  const out: VerdictRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}
