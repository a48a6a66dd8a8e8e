// GET /admin/explain/:tracker/:ticket: the verdict of one ticket, decided live
// with the config in force, with the lineage trace. Reads only: nothing is
// written to the tracker or recorded.
import { exemptionInForce } from '../../commands/exemption.js';
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { explainVerdict } from '../../strategy/decide-verdict.js';
import { coldModel, suggestWithModel, type SuggestionResult } from '../../strategy/suggest-objectives.js';
import type { CurrentConfig } from '../../store/config-store.js';
import type { TicketSnapshot } from '../../strategy/types.js';
import { RateLimitedError as TrackerRateLimitedError } from '../../trackers/tracker.js';
import type { TicketState } from '../../strategy/types.js';
import { NoConfigError, TicketNotFoundError, TrackerNotConfiguredError, TrackerUnavailableError } from './admin-errors.js';
import { adminSchema, ErrorReply, TrackerName } from './route-schemas.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { adapterFor } from '../../trackers/installations.js';
import { TRACKERS } from '../../trackers/registry.js';


const Params = Type.Object({
  tracker: TrackerName,
  ticket: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$', description: 'A key (ENG-123) or the tracker id' }),
});

export const explainRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'trackers' | 'installations' | 'configStore' | 'now' | 'suggestions' | 'exemptions' | 'verdicts' | 'tenants'>> = async (app, given) => {
  const optionsOf = tenantOptions(given);
  app.get<{ Params: Static<typeof Params> }>('/admin/explain/:tracker/:ticket', {
    schema: adminSchema('Why a ticket has its verdict: lineage paths and trace, decided live (nothing is written)', {
      params: Params,
      response: { 404: ErrorReply, 503: ErrorReply },
    }),
  }, async (request, reply) => {
    const { tracker: trackerId, ticket: ref } = request.params;
    const options = await optionsOf(request); // the tenant's trackers and stores
    const tracker = (await adapterFor(options, trackerId, (await options.verdicts.get(trackerId, ref))?.installation))?.tracker;
    if (!tracker) throw new TrackerNotConfiguredError(trackerId, TRACKERS[trackerId].credentialVariables);
    let state: TicketState | null;
    try {
      state = await tracker.fetchTicket(ref);
    } catch (err) {
      request.log.warn({ err, tracker: trackerId, ticket: ref }, 'explain: the tracker did not answer');
      if (err instanceof TrackerRateLimitedError) reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      throw new TrackerUnavailableError(trackerId, (err as Error).message);
    }
    if (!state) throw new TicketNotFoundError(trackerId, ref);
    const current = await options.configStore.current().catch(() => null);
    if (!current) throw new NoConfigError();
    const now = options.now();
    const exemption = exemptionInForce((await options.exemptions?.get(trackerId, state.ticket.id)) ?? null, current.index.rules, now);
    const resolution = explainVerdict(current.index, state.ticket, now, exemption);
    const suggestions = await explainSuggestions(options, current, state.ticket, now, request.log);
    // What the last check recorded: a person's acknowledgement (who, when) and marks held back.
    const recorded = await options.verdicts.get(trackerId, state.ticket.id);
    return {
      ticket: summary(state.ticket),
      verdict: resolution.verdict,
      reason: resolution.reason,
      paths: resolution.paths,
      trace: resolution.trace,
      objectiveIds: resolution.objectiveIds,
      ...(resolution.recheckAt ? { recheckAt: resolution.recheckAt } : {}),
      ...(resolution.exemptBy ? { exemptBy: resolution.exemptBy } : {}),
      suggestions,
      configVersion: current.version,
      ...(recorded?.acknowledged ? { acknowledged: recorded.acknowledged } : {}),
      ...(recorded?.held ? { held: recorded.held } : {}),
    };
  });
};

/** What the comment would suggest, with the scores behind it: the closest nodes, shown or not, and the floor. */
async function explainSuggestions(
  options: Pick<AdminRoutesOptions, 'suggestions'>,
  current: CurrentConfig,
  ticket: TicketSnapshot,
  now: Date,
  log: { warn(obj: object, msg: string): void },
): Promise<SuggestionResult & { learnedFrom: number }> {
  let model = coldModel(current.index);
  try {
    if (options.suggestions) model = await options.suggestions.modelFor(current);
  } catch (err) {
    log.warn({ err }, 'explain: could not read the linked examples; scoring with the strategy tree alone');
  }
  const result = suggestWithModel(model, ticket, now);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    ...result,
    ranked: result.ranked.map((r) => ({ ...r, score: round(r.score), similarity: round(r.similarity), confidence: round(r.confidence) })),
    bestSimilarity: result.bestSimilarity === null ? null : round(result.bestSimilarity),
    learnedFrom: model.size,
  };
}

function summary(ticket: TicketSnapshot) {
  return {
    tracker: ticket.tracker,
    id: ticket.id,
    key: ticket.key,
    title: ticket.title,
    url: ticket.url,
    team: ticket.team,
    state: ticket.state,
    stateName: ticket.stateName,
    issueType: ticket.issueType,
    createdAt: ticket.createdAt,
    labels: ticket.labels,
    parents: ticket.parents.map((p) => p.key),
    project: ticket.project ? { name: ticket.project.name, initiatives: ticket.project.initiatives.map((i) => i.name) } : null,
  };
}
