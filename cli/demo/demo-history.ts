// Sample history for the demo only: seven earlier weeks of snapshots so the
// digest's trend line shows what a team sees after a couple of months (a
// backlog slowly getting linked). Real deployments build this week by week.
import type { RedisClient } from '../../src/store/redis-client.js';
import type { Keys } from '../../src/store/keys.js';
import { addIsoWeeks, isoWeekOf } from '../../src/strategy/iso-week.js';
import type { WeeklySnapshot } from '../../src/digest/types.js';

/** Aligned share by count in each of the seven weeks before this one, oldest first. */
const SAMPLE_SHARES = [0.41, 0.44, 0.43, 0.5, 0.53, 0.57, 0.58];

export async function seedDemoHistory(redis: RedisClient, keys: Keys, now: Date, timeZone: string): Promise<void> {
  const thisWeek = isoWeekOf(now, timeZone);
  const open = 40;
  const fields: Record<string, string> = {};
  SAMPLE_SHARES.forEach((share, i) => {
    const isoWeek = addIsoWeeks(thisWeek, i - SAMPLE_SHARES.length);
    const aligned = Math.round(share * open);
    const snapshot: WeeklySnapshot = {
      v: 1,
      isoWeek,
      generatedAt: now.toISOString(),
      open: { aligned, orphan: open - aligned - 3, stale: 3, exempt: 3, pending: 0, closed: 0 },
      finishedThisWeek: 3 + (i % 3),
      byCount: aligned / open,
      byEstimate: Math.min(1, share + 0.04),
      denominatorCount: open,
      objectives: {},
    };
    fields[isoWeek] = JSON.stringify(snapshot);
  });
  await redis.hset(keys.snapshots, fields);
}
