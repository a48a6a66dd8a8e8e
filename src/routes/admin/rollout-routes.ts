// GET /admin/rollout: what enforcing would write now, and what is held back
// (PRODUCT.md "Trust at backlog scale"). In a dry run every check records what
// it would write, so the report is what enforcing would do, per team, with
// examples: an admin widens rules.scope team by team with no surprise.
// Counted from the verdict records; reads nothing from the trackers.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { VerdictRecord } from '../../records/verdict-record.js';
import { NoConfigError } from './admin-errors.js';
import { adminSchema } from './route-schemas.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import type { ResolvedRules } from '../../strategy/tree-schema.js';

const EXAMPLES = 10;

interface Tally {
  open: number;
  orphan: number;
  stale: number;
  wouldWrite: number;
  held: number;
  beforeEnforceFrom: number;
  acknowledged: number;
  exempted: number;
}

const emptyTally = (): Tally => ({ open: 0, orphan: 0, stale: 0, wouldWrite: 0, held: 0, beforeEnforceFrom: 0, acknowledged: 0, exempted: 0 });

/** Pure: the report's counts from the records. */
export function tallyRollout(records: Iterable<VerdictRecord>, scope: ResolvedRules['scope']): { total: Tally; byTeam: Array<Tally & { tracker: string; team: string | null }>; examples: Array<Record<string, unknown>> } {
  const total = emptyTally();
  const teams = new Map<string, Tally & { tracker: string; team: string | null }>();
  const examples: Array<Record<string, unknown>> = [];
  for (const r of records) {
    if (r.state !== 'open' || r.verdict === 'closed') continue;
    const key = `${r.tracker}:${r.team ?? ''}`;
    let team = teams.get(key);
    if (!team) teams.set(key, (team = { tracker: r.tracker, team: r.team ?? null, ...emptyTally() }));
    const add = (field: keyof Tally): void => {
      total[field]++;
      team[field]++;
    };
    add('open');
    // A record from before the scope was narrowed: out of scope now, so exempt, whatever it said then.
    if (r.verdict === 'exempt' || !inScope(r, scope)) {
      add('exempted');
      continue;
    }
    if (r.verdict === 'orphan' || r.verdict === 'stale') add(r.verdict);
    if (r.acknowledged) add('acknowledged');
    if (r.held === 'before-enforce-from') add('beforeEnforceFrom');
    if (r.held === 'budget') add('held');
    else if (r.wouldWrite && r.wouldWrite.length > 0) {
      add('wouldWrite');
      if (examples.length < EXAMPLES) examples.push({ tracker: r.tracker, key: r.key, title: r.title, url: r.url ?? null, team: r.team ?? null, verdict: r.verdict, writes: r.wouldWrite });
    }
  }
  const byTeam = [...teams.values()].filter((t) => t.orphan + t.stale + t.exempted > 0).sort((a, b) => b.wouldWrite - a.wouldWrite || b.orphan + b.stale - (a.orphan + a.stale));
  return { total, byTeam, examples };
}

function inScope(r: VerdictRecord, scope: ResolvedRules['scope']): boolean {
  const teams = scope[r.tracker];
  return teams === undefined || (r.team !== undefined && teams.some((t) => t.toLowerCase() === r.team!.toLowerCase()));
}

export const rolloutRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'configStore' | 'verdicts' | 'dryRun' | 'tenants'>> = async (app, given) => {
  const optionsOf = tenantOptions(given);
  app.get('/admin/rollout', {
    schema: adminSchema('What enforcing would write now (labels, comments; per team, with examples) and what is held back: budget, enforce_from, acknowledgements', {
      response: {
        200: Type.Object({
          dryRun: Type.Boolean(),
          wouldWrite: Type.Integer(),
          held: Type.Integer(),
          beforeEnforceFrom: Type.Integer(),
          acknowledged: Type.Integer(),
          exempted: Type.Integer(),
          enforceFrom: Type.Union([Type.String(), Type.Null()]),
          writesPerHour: Type.Union([Type.Integer(), Type.Null()]),
          byTeam: Type.Array(Type.Object({}, { additionalProperties: true })),
          examples: Type.Array(Type.Object({}, { additionalProperties: true })),
        }, { additionalProperties: true }),
      },
    }),
  }, async (request) => {
    const options = await optionsOf(request);
    const current = await options.configStore.current().catch(() => null);
    if (!current) throw new NoConfigError();
    const records: VerdictRecord[] = [];
    for await (const r of options.verdicts.all()) records.push(r);
    const rules = current.index.rules;
    const { total, byTeam, examples } = tallyRollout(records, rules.scope);
    return {
      dryRun: options.dryRun ?? rules.dryRun,
      wouldWrite: total.wouldWrite,
      held: total.held,
      beforeEnforceFrom: total.beforeEnforceFrom,
      acknowledged: total.acknowledged,
      exempted: total.exempted,
      enforceFrom: rules.enforceFrom,
      writesPerHour: rules.writesPerHour,
      byTeam,
      examples,
    };
  });
};
