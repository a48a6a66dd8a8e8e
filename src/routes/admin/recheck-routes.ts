// POST /admin/recheck: re-check every open ticket in scope (or one tracker,
// some teams). The work happens in sweep jobs; this answers with their ids.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { TrackerNotConfiguredError } from './admin-errors.js';
import { adminSchema, ErrorReply, RecheckResult, TrackerName } from './route-schemas.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { adapterFor } from '../../trackers/installations.js';

const Body = Type.Object(
  {
    tracker: Type.Optional(TrackerName),
    teams: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, description: 'Linear team or Jira project keys' })),
  },
  { additionalProperties: false },
);

export const recheckRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'trackers' | 'startRecheck' | 'tenants'>> = async (app, given) => {
  const optionsOf = tenantOptions(given);
  app.post<{ Body: Static<typeof Body> | undefined }>('/admin/recheck', {
    // The body is optional: no body means everything in scope (the schema alone would reject its absence).
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: adminSchema('Re-check open tickets in scope (optionally one tracker, some teams); answers 202 with the sweep ids', {
      body: Body,
      response: { 202: RecheckResult, 404: ErrorReply },
    }),
  }, async (request, reply) => {
    const { tracker, teams } = request.body ?? {};
    const options = await optionsOf(request); // the tenant's trackers and sweeps
    if (tracker && !(await adapterFor(options, tracker))) throw new TrackerNotConfiguredError(tracker, 'its API credentials');
    const { sweepIds } = await options.startRecheck({ ...(tracker ? { tracker } : {}), ...(teams ? { teams } : {}), reason: 'admin' });
    request.log.info({ tracker, teams, sweepIds }, 'admin re-check started');
    return reply.code(202).send({ sweepIds });
  });
};
