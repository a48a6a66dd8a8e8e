// The strategy review through the admin API: GET /admin/review (what ends
// within the window, what has not started, what the teams propose) and
// GET /admin/proposals (the proposals grouped by similar title). Reads only:
// the proposals' grouping is a worker's job, stored (workers/group-proposals-job.ts);
// a route that finds it behind the proposals asks for it again and answers what
// is stored, marked `stale`.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { computeReview } from '../../digest/review.js';
import { requestProposalGrouping } from '../../queue/request-proposal-grouping.js';
import { withForecasts } from '../../digest/review-forecasts.js';
import { NoConfigError, TrackerNotConfiguredError, TrackerUnavailableError } from './admin-errors.js';
import { adminSchema, ErrorReply, TrackerName } from './route-schemas.js';
import { importOutline, ImportEmptyError } from '../../config/import-outline.js';
import { todayIn } from '../../strategy/period-clock.js';
import createError from '@fastify/error';

const ImportEmpty = createError('CASCADE_IMPORT_EMPTY', '%s', 422);
const ImportParams = Type.Object({ tracker: TrackerName });
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { TRACKERS } from '../../trackers/registry.js';
import { adapterFor } from '../../trackers/installations.js';

const Query = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'The window, in days' })) }, { additionalProperties: false });

export const reviewRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'configStore' | 'verdicts' | 'now' | 'proposals' | 'timeZone' | 'trackers' | 'installations' | 'queues' | 'forecasts' | 'tenants'>> = async (app, given) => {
  const optionsOf = tenantOptions(given); // each tenant has its own config, verdicts, proposals and trackers
  /** Whether the stored grouping is behind the proposals (or absent while there are some); if so, asks for a new one. */
  const staleIn = (options: typeof given) => async (storedVersion: number | undefined): Promise<boolean> => {
    const store = options.proposals;
    if (!store) return false;
    const behind = storedVersion === undefined ? (await store.count()) > 0 : (await store.version()) > storedVersion;
    if (behind) await requestProposalGrouping(options.queues.digest);
    return behind;
  };

  app.get<{ Querystring: Static<typeof Query> }>('/admin/review', {
    schema: adminSchema('Objectives ending within the window (with their open work), objectives not started yet, and grouped proposals', {
      querystring: Query,
      response: { 404: ErrorReply },
    }),
  }, async (request) => {
    const options = await optionsOf(request);
    const store = options.proposals;
    const stale = staleIn(options);
    const current = await options.configStore.current().catch(() => null);
    if (!current) throw new NoConfigError();
    const records = [];
    for await (const r of options.verdicts.all()) if (r.state === 'open') records.push(r);
    const grouping = store ? await store.grouping() : null;
    const review = computeReview({
      config: current.config, records, proposals: grouping?.top ?? [], proposalGroups: grouping?.groupCount ?? 0, now: options.now(), timeZone: options.timeZone ?? 'UTC', days: request.query.days ?? 30,
    });
    // Forecasts are computed by a worker and only read here: 10,000 trials per objective do not belong on the receiver's loop.
    return { ...withForecasts(review, (await options.forecasts?.latest()) ?? null), proposalsTotal: grouping?.total ?? 0, proposalsStale: await stale(grouping?.version) };
  });

  app.get('/admin/proposals', {
    schema: adminSchema('Bottom-up proposals (/cascade propose), grouped by similar title, with the tickets and people behind each', {}),
  }, async (request, reply) => {
    const options = await optionsOf(request);
    const store = options.proposals;
    const stale = staleIn(options);
    const full = store ? await store.fullGrouping() : null;
    if (!full) return { total: store ? await store.count() : 0, groups: [], stale: await stale(undefined) };
    // Sent as stored, without parsing: 10,000 proposals' groups are megabytes of JSON. The version is its first field.
    const version = Number(/^\{"version":(\d+)/.exec(full)?.[1] ?? 0);
    return reply.type('application/json; charset=utf-8').send(`{"stale":${await stale(version)},${full.slice(1)}`);
  });

  app.get<{ Params: Static<typeof ImportParams> }>('/admin/import/:tracker', {
    schema: adminSchema('A starting strategy YAML from the tracker (Linear initiatives; Jira initiatives and epics), as `cascade import` prints it', {
      params: ImportParams,
      response: { 404: ErrorReply, 422: ErrorReply, 503: ErrorReply },
    }),
  }, async (request, reply) => {
    const { tracker: id } = request.params;
    const options = await optionsOf(request);
    const tracker = (await adapterFor(options, id))?.tracker;
    const rules = TRACKERS[id].outline?.import;
    if (!tracker?.outline || !rules) throw new TrackerNotConfiguredError(id, TRACKERS[id].credentialVariables);
    let outline;
    try {
      outline = await tracker.outline();
    } catch (err) {
      request.log.warn({ err, tracker: id }, 'import: the tracker did not answer');
      throw new TrackerUnavailableError(id, (err as Error).message);
    }
    try {
      const result = importOutline(outline, rules, todayIn(options.now(), options.timeZone ?? 'UTC'));
      return reply.type('application/yaml; charset=utf-8').send(result.yaml);
    } catch (err) {
      if (err instanceof ImportEmptyError) throw new ImportEmpty(err.message);
      throw err;
    }
  });
};
