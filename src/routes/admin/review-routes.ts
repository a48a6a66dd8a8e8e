// The strategy review through the admin API: GET /admin/review (what ends
// within the window, what has not started, what the teams propose) and
// GET /admin/proposals (the proposals grouped by similar title). Reads only.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { computeReview } from '../../digest/review.js';
import { groupProposals } from '../../digest/group-proposals.js';
import { NoConfigError, TrackerNotConfiguredError, TrackerUnavailableError } from './admin-errors.js';
import { adminSchema, ErrorReply, TrackerName } from './route-schemas.js';
import { importOutline, ImportEmptyError } from '../../config/import-outline.js';
import { todayIn } from '../../strategy/period-clock.js';
import createError from '@fastify/error';

const ImportEmpty = createError('CASCADE_IMPORT_EMPTY', '%s', 422);
const ImportParams = Type.Object({ tracker: TrackerName });
import type { AdminRoutesOptions } from './admin-options.js';
import { TRACKERS } from '../../trackers/registry.js';

const Query = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'The window, in days' })) }, { additionalProperties: false });

export const reviewRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'configStore' | 'verdicts' | 'now' | 'proposals' | 'timeZone' | 'trackers'>> = async (app, options) => {
  const proposals = async () => (options.proposals ? options.proposals.list() : []);

  app.get<{ Querystring: Static<typeof Query> }>('/admin/review', {
    schema: adminSchema('Objectives ending within the window (with their open work), objectives not started yet, and grouped proposals', {
      querystring: Query,
      response: { 404: ErrorReply },
    }),
  }, async (request) => {
    const current = await options.configStore.current().catch(() => null);
    if (!current) throw new NoConfigError();
    const records = [];
    for await (const r of options.verdicts.all()) if (r.state === 'open') records.push(r);
    return computeReview({
      config: current.config, records, proposals: await proposals(), now: options.now(), timeZone: options.timeZone ?? 'UTC', days: request.query.days ?? 30,
    });
  });

  app.get('/admin/proposals', {
    schema: adminSchema('Bottom-up proposals (/cascade propose), grouped by similar title, with the tickets and people behind each', {}),
  }, async () => {
    const all = await proposals();
    return { total: all.length, groups: groupProposals(all) };
  });

  app.get<{ Params: Static<typeof ImportParams> }>('/admin/import/:tracker', {
    schema: adminSchema('A starting strategy YAML from the tracker (Linear initiatives; Jira initiatives and epics), as `cascade import` prints it', {
      params: ImportParams,
      response: { 404: ErrorReply, 422: ErrorReply, 503: ErrorReply },
    }),
  }, async (request, reply) => {
    const { tracker: id } = request.params;
    const tracker = options.trackers[id];
    if (!tracker?.outline) throw new TrackerNotConfiguredError(id, TRACKERS[id].credentialVariables);
    let outline;
    try {
      outline = await tracker.outline();
    } catch (err) {
      request.log.warn({ err, tracker: id }, 'import: the tracker did not answer');
      throw new TrackerUnavailableError(id, (err as Error).message);
    }
    try {
      const result = importOutline(outline, todayIn(options.now(), options.timeZone ?? 'UTC'));
      return reply.type('application/yaml; charset=utf-8').send(result.yaml);
    } catch (err) {
      if (err instanceof ImportEmptyError) throw new ImportEmpty(err.message);
      throw err;
    }
  });
};
