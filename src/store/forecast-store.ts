// The latest forecast report, computed in a worker and read by the review route
// and the digest, and the drift alert state per node, so that an alert is posted
// once when it starts and once when it ends, however often the report is computed.
import type { RedisClient } from './redis-client.js';
import type { Keys } from './keys.js';
import type { ForecastReport } from '../forecast/forecast-report.js';
import type { DriftState } from '../forecast/drift-alert.js';

export class ForecastStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async latest(): Promise<ForecastReport | null> {
    const raw = await this.redis.get(this.keys.forecastReport);
    return raw ? (JSON.parse(raw) as ForecastReport) : null;
  }

  async drift(): Promise<Record<string, DriftState>> {
    const all = await this.redis.hgetall(this.keys.forecastDrift);
    return Object.fromEntries(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as DriftState]));
  }

  /** The report and the drift state it leaves, together: a crash between the two would post an alert twice. */
  async save(report: ForecastReport, drift: Record<string, DriftState>): Promise<void> {
    const multi = this.redis.multi().set(this.keys.forecastReport, JSON.stringify(report)).del(this.keys.forecastDrift);
    const entries = Object.entries(drift);
    if (entries.length) multi.hset(this.keys.forecastDrift, Object.fromEntries(entries.map(([id, s]) => [id, JSON.stringify(s)])));
    await multi.exec();
  }
}
