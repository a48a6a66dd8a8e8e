// Prometheus metrics, on a registry passed in (tests get their own).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  deliveries: Counter<'tracker' | 'outcome'>;
  checks: Counter<'tracker' | 'verdict'>;
  writes: Counter<'tracker' | 'kind'>;
  trackerReads: Counter<'tracker'>;
  checkSeconds: Histogram<'tracker'>;
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
  };
}
