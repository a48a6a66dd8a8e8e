// Reads what a workspace says beside its tickets (customer requests, the health
// of project and initiative updates) and keeps it for the forecasts. Run after
// each completion backfill (start, config change) and nightly. Every page is
// read before the stored list is replaced, so a failure part-way leaves the
// previous list whole and the job's retry reads again.
import type { SignalsJob } from '../src/queue/job-types.js';
import type { Page } from '../src/trackers/tracker.js';
import type { WorkerContext } from './worker-context.js';
import { trackerOf } from './check-ticket.js';
import { configAtLeast } from './config-at-least.js';
import { requestForecast } from '../src/queue/request-forecast.js';

/** A workspace with more requests than this many pages is read no further (and says so). */
const MAX_PAGES = 400;

export async function readSignals(ctx: WorkerContext, job: SignalsJob): Promise<{ demand: number; health: number }> {
  const tracker = await trackerOf(ctx, { tracker: job.signals, installation: job.installation });
  let demand = 0;
  let health = 0;
  if (tracker.listCustomerDemand) {
    const items = await everyPage(ctx, job, (cursor) => tracker.listCustomerDemand!(cursor));
    await ctx.signals.replaceDemand(job.signals, items);
    demand = items.length;
  }
  if (tracker.listFieldDemand) {
    // Read only when the config names the field; none named clears what an earlier field gave.
    const { rules } = (await configAtLeast(ctx.config, job.configVersion)).index;
    const field = rules.customerField;
    const scope = rules.scope[job.signals] ?? [];
    const items = field ? await everyPage(ctx, job, (cursor) => tracker.listFieldDemand!(field, { teams: scope }, cursor)) : [];
    await ctx.signals.replaceFieldDemand(job.signals, items);
    demand += items.length;
  }
  if (tracker.listReportedHealth) {
    const items = await everyPage(ctx, job, (cursor) => tracker.listReportedHealth!(cursor));
    await ctx.signals.replaceHealth(job.signals, items);
    health = items.length;
  }
  // Demand and health feed the forecast report.
  await requestForecast(ctx.queues.digest);
  return { demand, health };
}

async function everyPage<T>(ctx: WorkerContext, job: SignalsJob, read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await read(cursor);
    ctx.metrics.trackerReads.inc({ tracker: job.signals });
    items.push(...page.items);
    cursor = page.next;
    if (cursor === undefined) return items;
  }
  ctx.logger.warn({ tracker: job.signals, pages: MAX_PAGES }, `${job.signals}: stopped reading customer requests and health after ${MAX_PAGES} pages`);
  return items;
}
