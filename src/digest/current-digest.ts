// The digest of this week, from what is in Redis now: the verdict of every
// ticket, earlier weeks' snapshots and the config in force. Stored as it is
// computed, so the trend and /digest/:isoWeek have it later.
import type { ConfigStore } from '../store/config-store.js';
import type { DigestStore } from '../store/digest-store.js';
import type { VerdictStore } from '../store/verdict-store.js';
import type { VerdictRecord } from '../store/verdict-record.js';
import { computeDigest, snapshotOf } from './compute.js';
import type { Digest } from './types.js';
import type { ProposalStore } from '../store/proposal-store.js';

export interface DigestSources {
  configStore: ConfigStore;
  verdicts: VerdictStore;
  digests: DigestStore;
  timeZone: string;
  publicUrl?: string;
  /** Bottom-up proposals for the review section; none when absent. */
  proposals?: ProposalStore;
}

export async function currentDigest(sources: DigestSources, now: Date): Promise<Digest> {
  const [config, history, records, proposals] = await Promise.all([
    sources.configStore.current(), sources.digests.snapshots(), collect(sources.verdicts.all()), sources.proposals?.list() ?? [],
  ]);
  const digest = computeDigest({ config: config.config, records, history, now, timeZone: sources.timeZone, publicUrl: sources.publicUrl, proposals });
  await sources.digests.save(digest, snapshotOf(digest));
  return digest;
}

async function collect(records: AsyncIterable<VerdictRecord>): Promise<VerdictRecord[]> {
  const out: VerdictRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}
