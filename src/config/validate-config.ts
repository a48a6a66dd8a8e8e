// Validates a config document: the schema first (shape and types), then the
// rules a schema cannot say. Every problem is reported, each with its path.
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type CascadeConfig, type StrategyNode, type TSchema } from '../strategy/tree-schema.js';
import { pointerToPath, type ConfigIssue } from './config-issues.js';
import { dayStart } from '../strategy/dates.js';
import { MATCH_PARTS, matchValues } from '../strategy/match-keys.js';

export type ValidationResult = { ok: true; config: CascadeConfig } | { ok: false; issues: ConfigIssue[] };

export function validateConfig(doc: unknown): ValidationResult {
  const schemaIssues = schemaProblems(doc);
  // The semantic rules run even on a document with schema errors, so a person
  // sees every problem at once; on shapes too broken to read they add nothing.
  let semanticIssues: ConfigIssue[] = [];
  try {
    if (isObject(doc) && Array.isArray(doc.objectives)) semanticIssues = semanticProblems(doc as CascadeConfig);
  } catch {
    semanticIssues = [];
  }
  const seen = new Set(schemaIssues.map((i) => i.path));
  const issues = [...schemaIssues, ...semanticIssues.filter((i) => !seen.has(i.path))];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config: doc as CascadeConfig };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaProblems(doc: unknown): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const error of errorsWithin(ConfigSchema, doc, '')) {
    const path = pointerToPath(error.path);
    // A union reports one error per branch; the first says enough.
    if (seen.has(path)) continue;
    seen.add(path);
    issues.push({ path, message: describeSchemaError(error.message, error.schema as SchemaHint, error.value) });
    if (issues.length >= 200) break;
  }
  return issues;
}

type SchemaError = { path: string; message: string; schema: unknown; value: unknown };

/**
 * The schema's errors, and where a value fails a union that also accepts an
 * object (`comment: true` or `comment: { reveal: … }`) and is an object, the
 * errors inside that object, so each names its own path (rules.comment.reveal).
 */
function* errorsWithin(schema: TSchema, value: unknown, prefix: string): Generator<SchemaError> {
  for (const error of Value.Errors(schema, value)) {
    const branch = isObject(error.value) ? (error.schema as SchemaHint).anyOf?.find((s) => (s as SchemaHint).type === 'object') : undefined;
    if (branch) yield* errorsWithin(branch as TSchema, error.value, prefix + error.path);
    else yield { path: prefix + error.path, message: error.message, schema: error.schema, value: error.value };
  }
}

interface SchemaHint {
  pattern?: string;
  anyOf?: unknown[];
  type?: string;
  const?: unknown;
  properties?: Record<string, unknown>;
}

function describeSchemaError(message: string, schema: SchemaHint, value: unknown): string {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? 'nothing';
  if (schema.pattern === '^[a-z0-9][a-z0-9-]*$') return `${shown} is not a valid id: use lower-case letters, digits and dashes, starting with a letter or digit`;
  if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return `${shown} is not a date: write it as YYYY-MM-DD`;
  if (schema.pattern === '^customfield_[0-9]{1,12}$') return `${shown} is not a Jira custom field id: write it as customfield_ followed by its number, e.g. customfield_10050`;
  if (schema.anyOf) {
    const options = (schema.anyOf as SchemaHint[]).map(describeOption).join(', ');
    return `${shown} is not one of ${options}`;
  }
  if (message.startsWith('Unexpected property')) return 'unknown field (check its spelling and indentation)';
  if (message.startsWith('Expected required property')) return 'is required';
  return `${message.toLowerCase()} (got ${shown})`;
}

function describeOption(option: SchemaHint): string {
  if (option.const !== undefined) return JSON.stringify(option.const);
  if (option.type === 'boolean') return 'true, false';
  if (option.type === 'object') return `{ ${Object.keys(option.properties ?? {}).join(', ')} }`;
  return option.type ?? 'a value';
}

interface Period {
  start: string;
  end: string;
  from: string;
}

function semanticProblems(config: CascadeConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const idAt = new Map<string, string>();
  const claims = new Map<string, { path: string; id: string }>();
  const levels = config.levels;

  if (levels) {
    const seen = new Set<string>();
    levels.forEach((level, i) => {
      if (seen.has(level)) issues.push({ path: `levels[${i}]`, message: `level "${level}" is listed twice` });
      seen.add(level);
    });
  }

  const visit = (nodes: StrategyNode[], base: string, depth: number, parentPeriod: Period | undefined): void => {
    checkShares(nodes, base, issues);
    nodes.forEach((node, i) => {
      const path = `${base}[${i}]`;
      const firstAt = idAt.get(node.id);
      if (firstAt) issues.push({ path: `${path}.id`, message: `id "${node.id}" is already used at ${firstAt}.id` });
      else idAt.set(node.id, path);

      if (levels && depth >= levels.length) {
        issues.push({
          path,
          message: `is nested ${depth + 1} levels deep but levels lists only ${levels.length} (${levels.join(', ')})`,
        });
      }

      const period = checkPeriod(node, path, parentPeriod, issues);
      collectClaims(node, path, claims, issues);
      if (node.children) visit(node.children, `${path}.children`, depth + 1, period);
    });
  };
  visit(config.objectives, 'objectives', 0, undefined);
  const enforceFrom = config.rules?.enforce_from;
  if (enforceFrom && Number.isNaN(dayStart(enforceFrom))) issues.push({ path: 'rules.enforce_from', message: `"${enforceFrom}" is not a real date` });
  return issues;
}

function checkShares(siblings: StrategyNode[], base: string, issues: ConfigIssue[]): void {
  // Only valid shares count: an out-of-range one is already reported by the schema.
  const total = siblings.reduce((sum, n) => sum + (typeof n.target_share === 'number' && n.target_share >= 0 && n.target_share <= 1 ? n.target_share : 0), 0);
  if (total > 1 + 1e-9) {
    issues.push({
      path: base,
      message: `target_share of these siblings adds up to ${round(total)}, more than 1`,
    });
  }
}

function checkPeriod(node: StrategyNode, path: string, parent: Period | undefined, issues: ConfigIssue[]): Period | undefined {
  if (!node.period) return parent;
  const { start, end } = node.period;
  let valid = true;
  if (Number.isNaN(dayStart(start))) {
    issues.push({ path: `${path}.period.start`, message: `"${start}" is not a real date` });
    valid = false;
  }
  if (Number.isNaN(dayStart(end))) {
    issues.push({ path: `${path}.period.end`, message: `"${end}" is not a real date` });
    valid = false;
  }
  if (!valid) return parent;
  if (start > end) {
    issues.push({ path: `${path}.period.end`, message: `ends (${end}) before it starts (${start})` });
    return parent;
  }
  if (parent) {
    if (start < parent.start) {
      issues.push({
        path: `${path}.period.start`,
        message: `starts (${start}) before its parent's period (${parent.start}, from ${parent.from})`,
      });
    }
    if (end > parent.end) {
      issues.push({
        path: `${path}.period.end`,
        message: `ends (${end}) after its parent's period (${parent.end}, from ${parent.from})`,
      });
    }
  }
  return { start, end, from: path };
}

/** Every match entry belongs to one node: two nodes claiming "SSO" would make lineage ambiguous. */
function collectClaims(
  node: StrategyNode,
  path: string,
  claims: Map<string, { path: string; id: string }>,
  issues: ConfigIssue[],
): void {
  // Each tracker's entries by key (match.<tracker>.<key>); issue keys compare in upper case, names in lower case.
  const entries: Array<[string, string[] | undefined, (v: string) => string]> = MATCH_PARTS.flatMap(({ tracker, keys }) =>
    keys.map((key): [string, string[], (v: string) => string] => [`${tracker}.${key}`, matchValues(node.match, tracker, key), key === 'issues' ? (v) => v.toUpperCase() : lower]),
  );
  for (const [kind, values, norm] of entries) {
    values?.forEach((value, i) => {
      const key = `${kind}:${norm(value)}`;
      const entryPath = `${path}.match.${kind}[${i}]`;
      const first = claims.get(key);
      if (first && first.id !== node.id) {
        issues.push({ path: entryPath, message: `"${value}" is already matched by node "${first.id}" (${first.path})` });
      } else if (first) {
        issues.push({ path: entryPath, message: `"${value}" is listed twice` });
      } else {
        claims.set(key, { path: entryPath, id: node.id });
      }
    });
  }
}

const lower = (v: string): string => v.trim().toLowerCase();
const round = (n: number): number => Math.round(n * 1000) / 1000;
