// The config document's shape (PRODUCT.md "Config file"), as a TypeBox schema:
// one source for validation, the TypeScript types and the OpenAPI description.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TrackerId } from './types.js';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100 });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 });
/** A calendar date, YYYY-MM-DD. */
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const MatchSchema = Type.Object(
  {
    linear: Type.Optional(
      Type.Object(
        {
          initiatives: Type.Optional(Names),
          projects: Type.Optional(Names),
          labels: Type.Optional(Names),
        },
        { additionalProperties: false },
      ),
    ),
    jira: Type.Optional(
      Type.Object(
        {
          issues: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*-\\d+$' }), { maxItems: 500 })),
          labels: Type.Optional(Names),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PeriodSchema = Type.Object({ start: IsoDate, end: IsoDate }, { additionalProperties: false });

export const NodeSchema = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        id: Id,
        title: Type.String({ minLength: 1, maxLength: 300 }),
        description: Type.Optional(Type.String({ maxLength: 5000 })),
        status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
        period: Type.Optional(PeriodSchema),
        target_share: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        owner: Type.Optional(Type.String({ maxLength: 200 })),
        match: Type.Optional(MatchSchema),
        children: Type.Optional(Type.Array(Self, { maxItems: 1000 })),
      },
      { additionalProperties: false },
    ),
  { $id: 'StrategyNode' },
);

export /**
 * What Cascade's comments may name of the strategy tree, to anyone who can read the ticket:
 * `path` (default) the suggested nodes with their path from the root objective; `objective`
 * only the root objective's title; `none` only the project or epic to link.
 */
const REVEAL = ['path', 'objective', 'none'] as const;
type CommentReveal = (typeof REVEAL)[number];

const CommentRulesSchema = Type.Object(
  {
    /** Comment on orphan and stale tickets; default true. */
    enabled: Type.Optional(Type.Boolean()),
    reveal: Type.Optional(Type.Union(REVEAL.map((r) => Type.Literal(r)))),
  },
  { additionalProperties: false },
);

const RulesSchema = Type.Object(
  {
    scope: Type.Optional(
      Type.Object(
        {
          linear: Type.Optional(Type.Object({ teams: Type.Optional(Names) }, { additionalProperties: false })),
          jira: Type.Optional(Type.Object({ projects: Type.Optional(Names) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    exempt: Type.Optional(
      Type.Object(
        { labels: Type.Optional(Names), issue_types: Type.Optional(Names) },
        { additionalProperties: false },
      ),
    ),
    grace_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 * 24 * 90 })),
    labels: Type.Optional(
      Type.Object(
        {
          orphan: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          stale: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    // `comment: true` (or false), or the object form with what a comment may name (README: What a comment reveals).
    comment: Type.Optional(Type.Union([Type.Boolean(), CommentRulesSchema])),
    on_aligned: Type.Optional(Type.Union([Type.Literal('resolve'), Type.Literal('delete'), Type.Literal('keep')])),
    dry_run: Type.Optional(Type.Boolean()),
    commands: Type.Optional(Type.Boolean()),
    // Who may exempt a ticket with `/cascade exempt`, and for how long at most (PRODUCT.md "Governance").
    exemptions: Type.Optional(
      Type.Object(
        {
          who: Type.Optional(Type.Union([Type.Literal('editors'), Type.Literal('anyone'), Type.Literal('admins')])),
          max_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          people: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 })),
        },
        { additionalProperties: false },
      ),
    ),
    // Rolling out to an existing backlog (see README): tickets created before enforce_from are
    // counted, never written; new marks beyond the budget wait their turn; people's removals stand.
    enforce_from: Type.Optional(IsoDate),
    budget: Type.Optional(
      Type.Object({ writes_per_hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) }, { additionalProperties: false }),
    ),
    respect_people: Type.Optional(Type.Boolean()),
    // Jira: the id of a number field a site keeps customer demand in (customfield_NNNNN), read for the review.
    customer_field: Type.Optional(Type.String({ pattern: '^customfield_[0-9]{1,12}$', maxLength: 40 })),
  },
  { additionalProperties: false },
);

export type { CommentReveal };

export const ConfigSchema = Type.Object(
  {
    levels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 20 })),
    objectives: Type.Array(NodeSchema, { minItems: 1, maxItems: 1000 }),
    rules: Type.Optional(RulesSchema),
  },
  { additionalProperties: false },
);

export type StrategyNode = Static<typeof NodeSchema>;
export type Match = Static<typeof MatchSchema>;
export type Rules = Static<typeof RulesSchema>;
/** The config document exactly as written (optional fields may be absent). */
export type CascadeConfig = Static<typeof ConfigSchema>;

/** Rules with every default filled in. */
export interface ResolvedRules {
  /** Per tracker, the teams (or projects…) its part of rules.scope lists; absent: every ticket of it is in scope. */
  scope: Partial<Record<TrackerId, string[]>>;
  exempt: { labels: string[]; issueTypes: string[] };
  /** Default 120. */
  graceMinutes: number;
  /** Defaults `no-objective` and `stale-objective`. */
  labels: { orphan: string; stale: string };
  /** Comment on orphan and stale tickets (`comment: true`, or `comment.enabled`). Default true. */
  comment: boolean;
  /** What a comment names of the tree (`comment.reveal`). Default `path`. */
  reveal: CommentReveal;
  /** Default `resolve`. */
  onAligned: 'resolve' | 'delete' | 'keep';
  /** Default false. */
  dryRun: boolean;
  /** `/cascade` commands in comments; default true. False also suspends every exemption people set. */
  commands: boolean;
  /** Who may exempt (default `editors`: people who may edit the ticket), the longest exemption (default 180 days), and the accounts `admins` allows. */
  exemptions: { who: 'editors' | 'anyone' | 'admins'; maxDays: number; people: string[] };
  /** Tickets created before this day (YYYY-MM-DD, UTC) are counted, never written. Default none. */
  enforceFrom: string | null;
  /** New labels/comments per tracker per rolling hour; null = no budget. Default null. */
  writesPerHour: number | null;
  /** A person removing Cascade's label or comment acknowledges the verdict. Default true. */
  respectPeople: boolean;
  /** Jira's number field holding customer demand (`rules.customer_field`, e.g. customfield_10050); null: none. */
  customerField: string | null;
}

export function resolveRules(rules: Rules | undefined): ResolvedRules {
  return {
    scope: scopeLists(rules?.scope),
    exempt: { labels: rules?.exempt?.labels ?? [], issueTypes: rules?.exempt?.issue_types ?? [] },
    graceMinutes: rules?.grace_minutes ?? 120,
    labels: {
      orphan: rules?.labels?.orphan ?? 'no-objective',
      stale: rules?.labels?.stale ?? 'stale-objective',
    },
    comment: typeof rules?.comment === 'object' ? (rules.comment.enabled ?? true) : (rules?.comment ?? true),
    reveal: typeof rules?.comment === 'object' ? (rules.comment.reveal ?? 'path') : 'path',
    onAligned: rules?.on_aligned ?? 'resolve',
    dryRun: rules?.dry_run ?? false,
    commands: rules?.commands ?? true,
    exemptions: { who: rules?.exemptions?.who ?? 'editors', maxDays: rules?.exemptions?.max_days ?? 180, people: rules?.exemptions?.people ?? [] },
    enforceFrom: rules?.enforce_from ?? null,
    writesPerHour: rules?.budget?.writes_per_hour ?? null,
    respectPeople: rules?.respect_people ?? true,
    customerField: rules?.customer_field ?? null,
  };
}

/** Each tracker's part of rules.scope by its one key there (`teams`, `projects`): the list, when given. */
function scopeLists(scope: Rules['scope']): ResolvedRules['scope'] {
  const lists: ResolvedRules['scope'] = {};
  for (const [tracker, part] of Object.entries(scope ?? {})) {
    const names = Object.values((part ?? {}) as Record<string, string[] | undefined>).find((v) => v !== undefined);
    if (names) lists[tracker as TrackerId] = names;
  }
  return lists;
}

export type { TSchema };
