// The verdict records a nightly sweep may forget: those of one tracker's open
// tickets, checked before the sweep began, read a batch at a time; and the
// script that forgets a record only if it is still the one read (a check that
// ran meanwhile wins). What to forget and what to check is decided by
// workers/prune-unseen.ts.
import type { RedisClient } from './redis-client.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import type { TrackerId } from '../strategy/types.js';
import type { Keys } from './keys.js';
import { luaScript, runScript } from './lua-script.js';

// KEYS: verdicts hash. ARGV: field, record, field, record…
const FORGET_UNCHANGED = luaScript(`
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    n = n + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return n`);

/** A stored verdict record as read: its field and raw value, to forget it only if unchanged. */
export interface StoredVerdict {
  field: string;
  raw: string;
  record: VerdictRecord;
}

/** Batches of the tracker's records of open tickets checked before `before` (ms). */
export async function* openVerdictsCheckedBefore(redis: RedisClient, keys: Keys, tracker: TrackerId, before: number): AsyncGenerator<StoredVerdict[]> {
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(keys.verdicts, cursor, 'MATCH', `${tracker}:*`, 'COUNT', 1000);
    cursor = next;
    const batch: StoredVerdict[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = parse(flat[i + 1]!);
      // Closed work stays for the digest (pruneClosed ages it out); a record written since the sweep began is current.
      if (!record || record.tracker !== tracker || record.state !== 'open' || !(Date.parse(record.checkedAt) < before)) continue;
      batch.push({ field: flat[i]!, raw: flat[i + 1]!, record });
    }
    if (batch.length > 0) yield batch;
  } while (cursor !== '0');
}

/** Forgets each record that is still the one read; answers how many were forgotten. */
export async function forgetUnchanged(redis: RedisClient, keys: Keys, stored: StoredVerdict[]): Promise<number> {
  if (stored.length === 0) return 0;
  return Number(await runScript(redis, FORGET_UNCHANGED, [keys.verdicts], stored.flatMap((s) => [s.field, s.raw])));
}

function parse(raw: string): VerdictRecord | null {
  try {
    return JSON.parse(raw) as VerdictRecord;
  } catch {
    return null;
  }
}
