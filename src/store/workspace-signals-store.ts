// Customer requests and reported health, as last read from each tracker. Each
// read replaces the tracker's whole list at once, so a request deleted or a
// health cleared in the tracker is gone here too, and the size stays that of
// the workspace.
import type { RedisClient } from './redis-client.js';
import type { TrackerId } from '../strategy/types.js';
import type { CustomerDemand, FieldDemand, ReportedHealth } from '../records/workspace-signals.js';
import type { Keys } from './keys.js';

export class WorkspaceSignalsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async replaceDemand(tracker: TrackerId, demand: CustomerDemand[]): Promise<void> {
    await this.redis.hset(this.keys.customerDemand, tracker, JSON.stringify(demand));
  }

  async replaceHealth(tracker: TrackerId, health: ReportedHealth[]): Promise<void> {
    await this.redis.hset(this.keys.reportedHealth, tracker, JSON.stringify(health));
  }

  async replaceFieldDemand(tracker: TrackerId, demand: FieldDemand[]): Promise<void> {
    await this.redis.hset(this.keys.fieldDemand, tracker, JSON.stringify(demand));
  }

  /** Every ticket's customer-field number (Jira, rules.customer_field). */
  async fieldDemand(): Promise<FieldDemand[]> {
    return this.lists<FieldDemand>(this.keys.fieldDemand);
  }

  /** Every customer request of every tracker. */
  async demand(): Promise<CustomerDemand[]> {
    return this.lists<CustomerDemand>(this.keys.customerDemand);
  }

  /** Every reported health of every tracker. */
  async health(): Promise<ReportedHealth[]> {
    return this.lists<ReportedHealth>(this.keys.reportedHealth);
  }

  private async lists<T>(key: string): Promise<T[]> {
    const all = await this.redis.hvals(key);
    return all.flatMap((raw) => JSON.parse(raw) as T[]);
  }
}
