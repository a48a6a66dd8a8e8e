// GET /admin/exemptions: every exemption people set with `/cascade exempt`
// (who, why, until when; suspended while rules.commands is false).
// DELETE /admin/exemptions/:tracker/:ticket: an admin ends one; the ticket is
// checked again at once and Cascade's comment says an admin ended it (named
// when ADMIN_TOKEN names its holders, `name:token`).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { listedExemption, type ListedExemption } from '../../commands/exemption.js';
import { scheduleCheck } from '../../queue/enqueue.js';
import { commandStamp, type ExemptionStore } from '../../store/exemption-store.js';
import type { TrackerId } from '../../strategy/types.js';
import { installationOf } from '../../trackers/installations.js';
import { authorOf } from './admin-auth.js';
import { NoConfigError, NoExemptionError } from './admin-errors.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { adminSchema, ErrorReply, TrackerName } from './route-schemas.js';

/** The name an unnamed ADMIN_TOKEN gets (src/config/environment.ts): the comment then says "an admin". */
const UNNAMED_ADMIN = 'admin';

const Listed = Type.Object({
  tracker: TrackerName,
  ticket: Type.String({ description: 'The tracker id of the ticket' }),
  key: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  person: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  at: Type.String({ description: 'When it was set (ISO 8601)' }),
  until: Type.String({ description: 'The day it ends: the date given, or rules.exemptions.max_days after it was set, whichever is earlier' }),
  source: Type.Literal('command'),
  suspended: Type.Boolean({ description: 'True while rules.commands is false: kept, not applied' }),
});

const Query = Type.Object({
  team: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Linear team or Jira project key' })),
  tracker: Type.Optional(TrackerName),
});

const Params = Type.Object({
  tracker: TrackerName,
  ticket: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$', description: 'A key (ENG-123) or the tracker id' }),
});

type Options = Pick<AdminRoutesOptions, 'exemptions' | 'configStore' | 'queues' | 'now' | 'tenants'> & Partial<Pick<AdminRoutesOptions, 'verdicts'>>;

export const exemptionRoutes: FastifyPluginAsync<Options> = async (app, options) => {
  if (!options.exemptions) return;
  const optionsOf = tenantOptions(options);
  /** The tenant's exemptions, config rules and queues. */
  const tenantOf = async (request: FastifyRequest) => {
    const own = await optionsOf(request);
    const current = await own.configStore.current().catch(() => null);
    if (!current || !own.exemptions) throw new NoConfigError();
    return { store: own.exemptions, rules: current.index.rules, queues: own.queues, verdicts: own.verdicts };
  };

  app.get<{ Querystring: Static<typeof Query> }>('/admin/exemptions', {
    schema: adminSchema('Exemptions people set with /cascade exempt: who, why, until when, and whether rules.commands suspends them', {
      querystring: Query,
      response: { 200: Type.Object({ exemptions: Type.Array(Listed) }), 404: ErrorReply },
    }),
  }, async (request) => {
    const { team, tracker } = request.query;
    const { store, rules: current } = await tenantOf(request);
    const exemptions = (await store.list())
      .filter((e) => (tracker === undefined || e.tracker === tracker) && (team === undefined || e.exemption.team?.toLowerCase() === team.toLowerCase()))
      .map((e) => listedExemption(e.tracker, e.id, e.exemption, current))
      .sort((a, b) => b.at.localeCompare(a.at));
    return { exemptions };
  });

  app.delete<{ Params: Static<typeof Params> }>('/admin/exemptions/:tracker/:ticket', {
    schema: adminSchema('End an exemption a person set: the ticket is checked again at once, and its comment says an admin ended it', {
      params: Params,
      response: { 200: Type.Object({ ended: Listed }), 404: ErrorReply },
    }),
  }, async (request) => {
    const { tracker, ticket: ref } = request.params;
    const { store, rules: current, queues, verdicts } = await tenantOf(request);
    const found = await findExemption(store, tracker, ref);
    if (!found) throw new NoExemptionError(tracker, ref);
    const now = options.now();
    const admin = authorOf(request);
    // Ordered like a command written now: a person's older command, delivered late, does not bring it back.
    const outcome = await store.applyInOrder(tracker, found.id, {
      stamp: commandStamp(now.getTime(), `admin:${admin}`),
      exemption: { op: 'remove' },
      reply: { op: 'put', value: { kind: 'ended-by-admin', person: admin === UNNAMED_ADMIN ? null : admin, at: now.toISOString() } },
    });
    if (!outcome.applied || !outcome.had) throw new NoExemptionError(tracker, ref);
    // Back to the check queue of the installation the ticket was read through.
    const checkRef = { tracker, ...installationOf({ installation: (await verdicts?.get(tracker, found.id))?.installation }) };
    await scheduleCheck(queues.checksFor(checkRef), { ...checkRef, ticketId: found.id, reason: 'command' }, 0);
    request.log.info({ tracker, ticket: found.listed.key, admin }, `admin ${admin} ended the exemption of ${found.listed.key}`);
    return { ended: found.listed };

    async function findExemption(exemptions: ExemptionStore, trackerId: TrackerId, idOrKey: string): Promise<{ id: string; listed: ListedExemption } | null> {
      const byId = await exemptions.get(trackerId, idOrKey);
      if (byId) return { id: idOrKey, listed: listedExemption(trackerId, idOrKey, byId, current) };
      const byKey = (await exemptions.list()).find((e) => e.tracker === trackerId && e.exemption.key?.toLowerCase() === idOrKey.toLowerCase());
      return byKey ? { id: byKey.id, listed: listedExemption(trackerId, byKey.id, byKey.exemption, current) } : null;
    }
  });
};
