// Prometheus metrics, on a registry passed in (tests get their own).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  deliveries: Counter<'tracker' | 'outcome'>;
  checks: Counter<'tracker' | 'verdict'>;
  writes: Counter<'tracker' | 'kind'>;
  trackerReads: Counter<'tracker'>;
  checkSeconds: Histogram<'tracker'>;
  /** Inbox entries that were not a valid delivery: kept in the rejected list, never queued. */
  inboxRejected: Counter;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: 'cascade_' });
  return {
    registry,
    deliveries: new Counter({ name: 'cascade_webhook_deliveries_total', help: 'Webhook deliveries by outcome', labelNames: ['tracker', 'outcome'], registers: [registry] }),
    checks: new Counter({ name: 'cascade_checks_total', help: 'Ticket checks by verdict', labelNames: ['tracker', 'verdict'], registers: [registry] }),
    writes: new Counter({ name: 'cascade_tracker_writes_total', help: 'Label and comment writes to trackers', labelNames: ['tracker', 'kind'], registers: [registry] }),
    trackerReads: new Counter({ name: 'cascade_tracker_fetches_total', help: 'Ticket fetches from trackers', labelNames: ['tracker'], registers: [registry] }),
    checkSeconds: new Histogram({ name: 'cascade_check_duration_seconds', help: 'Time to check one ticket', labelNames: ['tracker'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    inboxRejected: new Counter({ name: 'cascade_inbox_rejected_total', help: 'Inbox entries that were not a valid delivery (kept in the rejected list, not queued)', registers: [registry] }),
  };
}

/**
 * The inbox's length (accepted deliveries not yet on the events queue) and its
 * rejected list, read from Redis on each scrape: a growing inbox means the
 * movers are not keeping up or not running. A scrape while Redis is away
 * leaves the last values rather than failing /metrics.
 */
export function measureInbox(metrics: Metrics, inbox: { length(): Promise<number>; rejectedCount(): Promise<number> }): void {
  if (metrics.registry.getSingleMetric('cascade_inbox_length')) return;
  new Gauge({
    name: 'cascade_inbox_length',
    help: 'Accepted deliveries not yet moved to the events queue',
    registers: [metrics.registry],
    async collect() {
      try {
        this.set(await inbox.length());
      } catch {
        // Redis unreachable: /readyz reports it; keep the last value.
      }
    },
  });
  new Gauge({
    name: 'cascade_inbox_rejected',
    help: 'Inbox entries kept in the rejected list (not valid deliveries)',
    registers: [metrics.registry],
    async collect() {
      try {
        this.set(await inbox.rejectedCount());
      } catch {
        // as above
      }
    },
  });
}
