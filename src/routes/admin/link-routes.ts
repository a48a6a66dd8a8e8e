// POST /admin/link: an owner links many tickets at once (the tickets of a
// digest theme that "probably belongs under" an objective, or a list of keys).
// The dry run (the default) reads each ticket and answers what would move and
// what cannot, and why; the real run answers the same and records a link
// request per ticket that can move, which the ticket's one check carries out
// (a fresh read, the same checks, inside the write budget: rules.budget).
// Nothing here writes to a tracker.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { describeTarget, wantedForNode, type LinkWanted } from '../../commands/link-target.js';
import { forEachTerm } from '../../strategy/ticket-terms.js';
import { scheduleCheck } from '../../queue/enqueue.js';
import { commandStamp } from '../../store/exemption-store.js';
import type { VerdictStore } from '../../store/verdict-store.js';
import type { TrackerId } from '../../strategy/types.js';
import { resolveLink } from '../../trackers/resolve-link.js';
import { RateLimitedError as TrackerRateLimitedError, type Tracker } from '../../trackers/tracker.js';
import { authorOf } from './admin-auth.js';
import { NoConfigError, TrackerNotConfiguredError, TrackerUnavailableError } from './admin-errors.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { adminSchema, ErrorReply, StringEnum, TrackerName } from './route-schemas.js';
import { TRACKERS } from '../../trackers/registry.js';
import { adapterFor, installationOf } from '../../trackers/installations.js';

const MAX_TICKETS = 100;

const Body = Type.Object({
  tracker: TrackerName,
  tickets: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' }), { minItems: 1, maxItems: MAX_TICKETS, description: 'Keys (ENG-123) or tracker ids' })),
  theme: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: 'Instead of tickets: the open orphans whose text has this digest theme ("csv export")' })),
  to: Type.String({ minLength: 1, maxLength: 200, description: 'A Linear project (name or id), a Jira epic (key or summary), or a strategy node id' }),
  dryRun: Type.Boolean({ default: true, description: 'Default true: only say what would move' }),
}, { additionalProperties: false });

const Result = Type.Object({
  ticket: Type.String(),
  key: Type.Union([Type.String(), Type.Null()]),
  outcome: StringEnum(['moves', 'already', 'cannot'] as const),
  target: Type.Optional(Type.String({ description: 'Where it moves, in words' })),
  why: Type.Optional(Type.String()),
  closest: Type.Optional(Type.Array(Type.String())),
});

const Answer = Type.Object({
  dryRun: Type.Boolean(),
  tracker: TrackerName,
  to: Type.String(),
  moves: Type.Integer(),
  cannot: Type.Integer(),
  results: Type.Array(Result),
  note: Type.String(),
});

type LinkResult = Static<typeof Result>;
type Options = Pick<AdminRoutesOptions, 'trackers' | 'installations' | 'configStore' | 'exemptions' | 'verdicts' | 'queues' | 'now' | 'tenants'>;

export const linkRoutes: FastifyPluginAsync<Options> = async (app, given) => {
  if (!given.exemptions) return;
  const optionsOf = tenantOptions(given);
  app.post<{ Body: Static<typeof Body> }>('/admin/link', {
    schema: adminSchema('Link many tickets to a project, an epic or an objective: dryRun (default) says what would move and what cannot; dryRun false moves them through their checks, inside the write budget', {
      body: Body,
      response: { 200: Answer, 400: ErrorReply, 404: ErrorReply, 503: ErrorReply },
    }),
  }, async (request, reply) => {
    const { tracker: trackerId, to, dryRun } = request.body;
    const options = await optionsOf(request); // the tenant's trackers and stores
    const requests = options.exemptions;
    if (!requests) throw new NoConfigError();
    const adapter = await adapterFor(options, trackerId);
    const tracker = adapter?.tracker;
    if (!adapter || !tracker) throw new TrackerNotConfiguredError(trackerId, TRACKERS[trackerId].credentialVariables);
    const current = await options.configStore.current().catch(() => null);
    if (!current) throw new NoConfigError();
    const refs = request.body.tickets ?? (request.body.theme ? await themeTickets(options.verdicts, trackerId, request.body.theme) : null);
    if (!refs) return reply.code(400).send({ error: 'CASCADE_LINK_NO_TICKETS', message: 'name the tickets to link ("tickets": [keys]) or a digest theme ("theme": "csv export")' });
    const now = options.now();
    const wanted: LinkWanted = wantedForNode(current.index, to, trackerId) ?? { kind: 'name', name: to };
    const admin = authorOf(request);
    const results: LinkResult[] = [];
    for (const ref of refs) {
      const result = await assess(tracker, ref, wanted, current.index, now).catch((err: unknown) => {
        if (err instanceof TrackerRateLimitedError) reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
        throw new TrackerUnavailableError(trackerId, (err as Error).message);
      });
      results.push(result.result);
      if (dryRun || result.result.outcome !== 'moves' || !result.id || !result.target) continue;
      // Recorded like a command written now, and carried out by the ticket's one check.
      await requests.applyInOrder(trackerId, result.id, {
        stamp: commandStamp(now.getTime(), `admin-link:${admin}`),
        exemption: { op: 'keep' },
        reply: { op: 'put', value: { kind: 'link-requested', choice: to, wanted: result.target, person: admin, at: now.toISOString(), source: 'admin' } },
      });
      const checkRef = { tracker: trackerId, ...installationOf({ installation: (await options.verdicts.get(trackerId, result.id))?.installation ?? adapter.ref.installation }) };
      await scheduleCheck(options.queues.checksFor(checkRef), { ...checkRef, ticketId: result.id, reason: 'command' }, 0);
    }
    const moves = results.filter((r) => r.outcome === 'moves').length;
    request.log.info({ tracker: trackerId, to, dryRun, moves, admin }, `admin ${admin} ${dryRun ? 'asked what would move' : 'linked'}: ${moves} of ${results.length} tickets to ${to}`);
    return {
      dryRun,
      tracker: trackerId,
      to,
      moves,
      cannot: results.filter((r) => r.outcome === 'cannot').length,
      results,
      note: dryRun ? 'Nothing moved: send "dryRun": false to move them.' : 'Each ticket moves at its next check (within seconds), inside the write budget (rules.budget); beyond it, a ticket waits for its turn.',
    };
  });
};

/** One ticket: where it would go, or why it cannot; and, when it can, the target as the check will look it up again. */
async function assess(tracker: Tracker, ref: string, wanted: LinkWanted, index: Parameters<typeof resolveLink>[4], now: Date): Promise<{ result: LinkResult; id?: string; target?: LinkWanted }> {
  const state = await tracker.fetchTicket(ref);
  if (!state) return { result: { ticket: ref, key: null, outcome: 'cannot', why: `${tracker.id} has no ticket "${ref}" (or Cascade's account cannot see it).` } };
  const { ticket } = state;
  const base = { ticket: ref, key: ticket.key };
  if (ticket.state === 'closed') return { result: { ...base, outcome: 'cannot', why: `${ticket.key} is closed.` } };
  const decision = await resolveLink(tracker, ticket, wanted, [], index, now);
  if ('refused' in decision) return { result: { ...base, outcome: 'cannot', why: decision.refused, ...(decision.closest.length ? { closest: decision.closest } : {}) } };
  const target = describeTarget(TRACKERS[ticket.tracker].words, decision.target);
  if (decision.already) return { result: { ...base, outcome: 'already', target } };
  const again: LinkWanted = decision.target.kind === 'project' ? { kind: 'project', name: decision.target.id } : decision.target.kind === 'parent' ? { kind: 'issue', name: decision.target.key } : { kind: 'label', name: decision.target.name };
  return { result: { ...base, outcome: 'moves', target }, id: ticket.id, target: again };
}

/** The open orphans whose title or description has every word of the theme, as the digest counts them. */
async function themeTickets(verdicts: VerdictStore, tracker: TrackerId, theme: string): Promise<string[]> {
  const wanted = termsOf(theme);
  const keys: string[] = [];
  for await (const record of verdicts.all()) {
    if (record.tracker !== tracker || record.verdict !== 'orphan' || record.state !== 'open') continue;
    const terms = termsOf(`${record.title}\n${record.description ?? ''}`);
    if ([...wanted].every((t) => terms.has(t))) keys.push(record.key);
  }
  return keys.sort().slice(0, MAX_TICKETS);
}

function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  forEachTerm(text, (term) => terms.add(term));
  return terms;
}
