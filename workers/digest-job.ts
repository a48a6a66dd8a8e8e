// The digest jobs. `compute`, on DIGEST_CRON in DIGEST_TZ: the week that just
// ended, archived with its trend snapshot, then sent to Slack as its own job so
// a Slack outage is retried without recomputing. `refresh`, asked for by page
// views (at most once a minute, see src/queue/request-digest-refresh.ts): the
// week in progress, stored as the pages' current digest, never archived.
// `proposals`: the proposals grouped again after a change (workers/group-proposals-job.ts).
import { UnrecoverableError, type Job } from 'bullmq';
import type { DigestJob } from '../src/queue/job-types.js';
import type { Queues } from '../src/queue/queues.js';
import { archiveFinishedWeek, refreshCurrentDigest, type DigestSources } from './current-digest.js';
import { renderDigestSlack } from '../src/digest/render-slack.js';
import { postToSlack, SlackDeliveryError } from '../src/digest/deliver-slack.js';
import type { Logger } from 'pino';
import { groupStoredProposals } from './group-proposals-job.js';
import { computeForecasts, driftSlackPayload, type ForecastSources } from './forecast-job.js';

export interface DigestJobOptions {
  sources: DigestSources;
  queues: Queues;
  slackWebhookUrl?: string;
  now(): Date;
  logger: Logger;
  /** First retry delay of a failed Slack post, doubling each time. Default 30 s. */
  slackRetryDelayMs?: number;
  /** A current digest younger than this is not recomputed. Default CURRENT_DIGEST_REFRESH_MS (a minute). */
  refreshEveryMs?: number;
  /** Where the forecast report's inputs are and where it is kept; no forecasts without. */
  forecast?: ForecastSources;
}

export async function runDigestJob(options: DigestJobOptions, job: Job<DigestJob>): Promise<string> {
  if (job.data.kind === 'proposals') return options.sources.proposals ? groupStoredProposals(options.sources.proposals, options.queues.digest, options.now, options.logger) : 'no proposals';
  if (job.data.kind === 'forecast') {
    if (!options.forecast) return 'no forecast sources';
    const run = await forecast(options);
    options.logger.info({ isoWeek: run.report.isoWeek, forecasts: run.report.forecasts.length, ms: Math.round(run.ms), readMs: Math.round(run.readMs) }, `forecasts computed for ${run.report.forecasts.length} objectives in ${Math.round(run.ms)} ms`);
    return `computed in ${Math.round(run.ms)} ms (${Math.round(run.readMs)} ms reading)`;
  }
  if (job.data.kind === 'drift') {
    if (!options.slackWebhookUrl || !job.data.drift?.length) return 'no Slack webhook configured';
    await post(options.slackWebhookUrl, driftSlackPayload(job.data.drift));
    options.logger.info({ drift: job.data.drift.map((e) => `${e.nodeId} ${e.change}`) }, 'drift alert sent to Slack');
    return 'sent';
  }
  if (job.data.kind === 'refresh') {
    const started = performance.now();
    // The forecasts are recomputed with the digest (at most once a minute, here on the worker): they read the same open work.
    const digest = await refreshCurrentDigest(options.sources, options.now(), options.refreshEveryMs, options.forecast ? () => forecast(options) : undefined);
    if (!digest) return 'fresh';
    options.logger.debug({ isoWeek: digest.isoWeek, ms: Math.round(performance.now() - started) }, `current digest ${digest.isoWeek} recomputed`);
    return 'computed';
  }
  if (job.data.kind === 'compute') {
    // The week's digest carries forecasts as of now: computed here, on the worker, before it is read.
    if (options.forecast) await forecast(options);
    const digest = await archiveFinishedWeek(options.sources, options.now());
    options.logger.info({ isoWeek: digest.isoWeek }, `digest ${digest.isoWeek}: ${digest.headline}`);
    if (options.slackWebhookUrl) await options.queues.digest.add('slack', { kind: 'slack', isoWeek: digest.isoWeek }, { attempts: 8, backoff: { type: 'exponential', delay: options.slackRetryDelayMs ?? 30_000 } });
    return digest.isoWeek;
  }
  if (!options.slackWebhookUrl || !job.data.isoWeek) return 'no Slack webhook configured';
  const digest = await options.sources.digests.week(job.data.isoWeek);
  if (!digest) return `no digest stored for ${job.data.isoWeek}`;
  await post(options.slackWebhookUrl, renderDigestSlack(digest, { publicUrl: options.sources.publicUrl }));
  options.logger.info({ isoWeek: digest.isoWeek }, `digest ${digest.isoWeek} sent to Slack`);
  return 'sent';
}

function forecast(options: DigestJobOptions) {
  return computeForecasts(options.forecast!, options.now(), options.slackWebhookUrl ? { queue: options.queues.digest, retryDelayMs: options.slackRetryDelayMs } : undefined);
}

async function post(url: string, payload: Parameters<typeof postToSlack>[1]): Promise<void> {
  try {
    await postToSlack(url, payload);
  } catch (err) {
    // A revoked webhook or a rejected payload will not get better by retrying.
    if (err instanceof SlackDeliveryError && !err.retryable) throw new UnrecoverableError(`${err.message}: check SLACK_WEBHOOK_URL`);
    throw err;
  }
}

/** The weekly schedule, replacing any earlier one (so a changed DIGEST_CRON takes effect). */
export async function scheduleDigest(queues: Queues, cron: string, timeZone: string): Promise<void> {
  await queues.digest.upsertJobScheduler('weekly-digest', { pattern: cron, tz: timeZone }, { name: 'compute', data: { kind: 'compute' } });
}
