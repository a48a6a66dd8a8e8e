// Linear's filter inputs, evaluated for real on the sandbox's rows. Only the
// filter fields declared in schema-sdl.ts exist; graphql-js rejects the rest
// before they get here. Every key present must hold (and), as on Linear.
import type { LinearStore } from './store.js';
import type { CommentRecord, InitiativeRecord, IssueRecord, ProjectRecord, UserRecord } from './records.js';

type Filter = Record<string, unknown>;
type Comparator = Record<string, unknown>;

export interface FilterContext {
  store: LinearStore;
  viewerId: string;
}

/** The keys every filter type shares: and / or of the same filter type. */
function combinators<T>(filter: Filter, row: T, test: (f: Filter, row: T) => boolean): boolean {
  const and = filter.and as Filter[] | undefined;
  const or = filter.or as Filter[] | undefined;
  if (and && !and.every((f) => test(f, row))) return false;
  if (or && !or.some((f) => test(f, row))) return false;
  return true;
}

export function compareId(value: string, comparator: Comparator | undefined): boolean {
  if (!comparator) return true;
  if ('eq' in comparator && value !== comparator.eq) return false;
  if ('neq' in comparator && value === comparator.neq) return false;
  if (Array.isArray(comparator.in) && !comparator.in.includes(value)) return false;
  if (Array.isArray(comparator.nin) && comparator.nin.includes(value)) return false;
  return true;
}

export function compareString(value: string, comparator: Comparator | undefined): boolean {
  if (!comparator) return true;
  if (!compareId(value, comparator)) return false;
  const c = comparator as Record<string, string | undefined>;
  const lower = value.toLowerCase();
  if (c.eqIgnoreCase !== undefined && lower !== c.eqIgnoreCase.toLowerCase()) return false;
  if (c.contains !== undefined && !value.includes(c.contains)) return false;
  if (c.containsIgnoreCase !== undefined && !lower.includes(c.containsIgnoreCase.toLowerCase())) return false;
  if (c.notContains !== undefined && value.includes(c.notContains)) return false;
  if (c.startsWith !== undefined && !value.startsWith(c.startsWith)) return false;
  return true;
}

/** A DateTimeOrDuration: an ISO 8601 time, or a duration from now such as -P12W or -P3D. */
function dateValue(raw: unknown, now: number): number {
  const text = String(raw);
  const duration = /^(-?)P(\d+)([DW])$/.exec(text);
  if (duration) return now + (duration[1] === '-' ? -1 : 1) * Number(duration[2]) * (duration[3] === 'W' ? 7 : 1) * 86_400_000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new Error(`Invalid DateTimeOrDuration: ${text}`);
  return at;
}

/** NullableDateComparator: a missing date matches only `null: true` (and no ordering). */
export function compareDate(value: string | null, comparator: Comparator | undefined, now: number): boolean {
  if (!comparator) return true;
  if (typeof comparator.null === 'boolean' && comparator.null !== (value === null)) return false;
  const bounds = (['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const).filter((op) => op in comparator);
  if (bounds.length === 0) return true;
  if (value === null) return false;
  const at = Date.parse(value);
  for (const op of bounds) {
    const when = dateValue(comparator[op], now);
    const ok = op === 'eq' ? at === when : op === 'neq' ? at !== when : op === 'gt' ? at > when : op === 'gte' ? at >= when : op === 'lt' ? at < when : at <= when;
    if (!ok) return false;
  }
  return true;
}

function compareBoolean(value: boolean, comparator: Comparator | undefined): boolean {
  if (!comparator) return true;
  if ('eq' in comparator && value !== comparator.eq) return false;
  if ('neq' in comparator && value === comparator.neq) return false;
  return true;
}

/** IssueFilter and NullableIssueFilter (the latter also matches a missing issue through `null`). */
export function matchIssue(ctx: FilterContext, filter: Filter | undefined, issue: IssueRecord | null): boolean {
  if (!filter) return true;
  if (typeof filter.null === 'boolean') {
    if (filter.null !== (issue === null)) return false;
  }
  if (issue === null) return filter.null === true || Object.keys(filter).every((k) => k === 'null');
  const { store } = ctx;
  if (!compareId(issue.id, filter.id as Comparator | undefined)) return false;
  if (!compareDate(issue.completedAt, filter.completedAt as Comparator | undefined, store.clock())) return false;
  if (!compareDate(issue.canceledAt, filter.canceledAt as Comparator | undefined, store.clock())) return false;
  if (filter.team) {
    const team = store.teams.get(issue.teamId);
    if (!team || !matchTeam(filter.team as Filter, team)) return false;
  }
  if (filter.state) {
    const state = store.stateOf(issue);
    const f = filter.state as Filter;
    const ok = compareId(state.id, f.id as Comparator) && compareString(state.name, f.name as Comparator)
      && compareString(state.type, f.type as Comparator);
    if (!ok) return false;
  }
  if ('project' in filter) {
    const project = issue.projectId === null ? null : store.projects.get(issue.projectId) ?? null;
    if (!matchProject(ctx, filter.project as Filter, project)) return false;
  }
  if ('parent' in filter) {
    const parent = issue.parentId === null ? null : store.issues.get(issue.parentId) ?? null;
    if (!matchIssue(ctx, filter.parent as Filter, parent)) return false;
  }
  return combinators(filter, issue, (f, row) => matchIssue(ctx, f, row));
}

function matchTeam(filter: Filter, team: { id: string; key: string }): boolean {
  return compareId(team.id, filter.id as Comparator) && compareString(team.key, filter.key as Comparator)
    && combinators(filter, team, matchTeam);
}

/** NullableProjectFilter. */
export function matchProject(ctx: FilterContext, filter: Filter | undefined, project: ProjectRecord | null): boolean {
  if (!filter) return true;
  if (typeof filter.null === 'boolean' && filter.null !== (project === null)) return false;
  if (project === null) return filter.null === true;
  if (!compareId(project.id, filter.id as Comparator)) return false;
  if (filter.initiatives) {
    const initiatives = project.initiativeIds.flatMap((id) => ctx.store.initiatives.get(id) ?? []);
    if (!matchInitiatives(ctx, filter.initiatives as Filter, initiatives)) return false;
  }
  return combinators(filter, project, (f, row) => matchProject(ctx, f, row));
}

/** InitiativeCollectionFilter: `some`, plus the collection's own id/and/or. */
function matchInitiatives(ctx: FilterContext, filter: Filter, initiatives: InitiativeRecord[]): boolean {
  if (filter.some && !initiatives.some((i) => matchInitiative(ctx, filter.some as Filter, i))) return false;
  if (filter.id && !initiatives.some((i) => compareId(i.id, filter.id as Comparator))) return false;
  if (filter.ancestors) {
    const ancestors = initiatives.flatMap((i) => ancestorsOf(ctx, i));
    if (!matchInitiatives(ctx, filter.ancestors as Filter, ancestors)) return false;
  }
  return combinators(filter, initiatives, (f, rows) => matchInitiatives(ctx, f, rows));
}

/** InitiativeFilter. */
export function matchInitiative(ctx: FilterContext, filter: Filter | undefined, initiative: InitiativeRecord): boolean {
  if (!filter) return true;
  if (!compareId(initiative.id, filter.id as Comparator)) return false;
  if (filter.ancestors && !matchInitiatives(ctx, filter.ancestors as Filter, ancestorsOf(ctx, initiative))) return false;
  return combinators(filter, initiative, (f, row) => matchInitiative(ctx, f, row));
}

/** Parent, grandparent…; stops on a loop, which hostile data may hold. */
export function ancestorsOf(ctx: FilterContext, initiative: InitiativeRecord): InitiativeRecord[] {
  const out: InitiativeRecord[] = [];
  const seen = new Set([initiative.id]);
  let next = initiative.parentId === null ? undefined : ctx.store.initiatives.get(initiative.parentId);
  while (next && !seen.has(next.id)) {
    out.push(next);
    seen.add(next.id);
    next = next.parentId === null ? undefined : ctx.store.initiatives.get(next.parentId);
  }
  return out;
}

/** UserFilter: by id and isMe. */
export function matchUser(ctx: FilterContext, filter: Filter | undefined, user: UserRecord): boolean {
  if (!filter) return true;
  if (!compareId(user.id, filter.id as Comparator) || !compareBoolean(user.id === ctx.viewerId, filter.isMe as Comparator)) return false;
  return combinators(filter, user, (f, row) => matchUser(ctx, f, row));
}

/** CommentFilter. */
export function matchComment(ctx: FilterContext, filter: Filter | undefined, comment: CommentRecord): boolean {
  if (!filter) return true;
  if (filter.user) {
    const user = filter.user as Filter;
    const ok = compareId(comment.userId, user.id as Comparator)
      && compareBoolean(comment.userId === ctx.viewerId, user.isMe as Comparator);
    if (!ok) return false;
  }
  if (!compareString(comment.body, filter.body as Comparator)) return false;
  return combinators(filter, comment, (f, row) => matchComment(ctx, f, row));
}
