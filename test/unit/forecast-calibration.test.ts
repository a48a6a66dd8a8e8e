// The P85 date must be met 85% of the time when the future behaves like the past.
// 500 synthetic objectives per seed, three seeds fixed in advance (the bench reports more).
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../bench/forecast-calibration.js';

describe('forecast calibration', () => {
  for (const seed of [1, 2, 3]) {
    it(`meets the P85 date 85 ± 4% of the time over 500 Poisson objectives (seed ${seed})`, { timeout: 120_000 }, () => {
      const r = calibrate(seed);
      expect(r.p85HitRate).toBeGreaterThanOrEqual(0.81);
      expect(r.p85HitRate).toBeLessThanOrEqual(0.89);
      // The other quantiles keep their order.
      expect(r.p50HitRate).toBeLessThan(r.p85HitRate);
      expect(r.p95HitRate).toBeGreaterThan(r.p85HitRate);
    });
  }
});
