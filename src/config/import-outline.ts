// A starting config from what the tracker already holds (`cascade import`,
// GET /admin/import/:tracker): the outline's top containers become objectives
// and children that match them, target dates as periods; what each tracker's
// containers match and say is its descriptor's (`outline.import`, e.g.
// src/trackers/linear/config-outline.ts). Pure: the outline, the tracker's
// import rules and the day in, YAML text out; the document is validated before
// it is printed, so what is printed loads.
import { Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { OutlineNode, TrackerOutline } from '../strategy/outline.js';
import type { CascadeConfig, StrategyNode } from '../strategy/tree-schema.js';
import type { OutlineImport } from '../trackers/descriptor.js';
import { validateConfig } from './validate-config.js';
import { formatIssues } from './config-issues.js';

export interface ImportResult {
  config: CascadeConfig;
  yaml: string;
  objectives: number;
  nodes: number;
}

const MAX_NAME = 200;

export function importOutline(outline: TrackerOutline, rules: OutlineImport, today: string): ImportResult {
  const ids = new Set<string>();
  const comments = new Map<StrategyNode, string>();
  const byParent = new Map<string | null, OutlineNode[]>();
  const present = new Set(outline.nodes.map((n) => n.id));
  // A match entry belongs to one node: a name two initiatives share is matched by id instead.
  const nameCount = new Map<string, number>();
  for (const n of outline.nodes) nameCount.set(n.name.trim().toLowerCase(), (nameCount.get(n.name.trim().toLowerCase()) ?? 0) + 1);
  for (const n of outline.nodes) {
    // A parent outside the outline (closed, hidden, not a container) makes the node a root.
    const parent = n.parentId !== null && present.has(n.parentId) ? n.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
  }
  let count = 0;
  const seen = new Set<string>();
  const build = (n: OutlineNode, parentPeriod: { start: string; end: string } | undefined, depth: number): StrategyNode | null => {
    if (seen.has(n.id) || depth > 30) return null; // hostile data may loop
    seen.add(n.id);
    count++;
    const node: StrategyNode = { id: uniqueId(n.name, ids), title: clip(n.name.trim() || n.id, 300) };
    if (n.description?.trim()) node.description = clip(n.description.trim(), 5000);
    if (rules.retired(n)) node.status = 'retired';
    const period = periodOf(n, parentPeriod);
    if (period) node.period = period;
    const byName = n.name.trim().length <= MAX_NAME && nameCount.get(n.name.trim().toLowerCase()) === 1;
    node.match = rules.match(n, byName);
    comments.set(node, rules.comment(n));
    const children = (byParent.get(n.id) ?? []).map((c) => build(c, period ?? parentPeriod, depth + 1)).filter((c): c is StrategyNode => c !== null);
    if (children.length) node.children = children.slice(0, 1000);
    return node;
  };
  const roots = (byParent.get(null) ?? []).map((n) => build(n, undefined, 0)).filter((n): n is StrategyNode => n !== null);
  if (roots.length === 0) throw new ImportEmptyError(rules.empty);
  const config: CascadeConfig = { objectives: roots.slice(0, 1000) };
  const checked = validateConfig(config);
  if (!checked.ok) throw new Error(`the imported config does not validate:\n${formatIssues(checked.issues)}`);

  const doc = new Document(config);
  attachComments(doc.get('objectives', true), config.objectives, comments);
  doc.commentBefore = [
    ` Cascade strategy tree imported from ${rules.name} on ${today}:`,
    ` ${roots.length} objectives, ${count} nodes${rules.madeFrom(outline)}.`,
    ' Review titles, add descriptions and target_share, retire what is done, then add rules',
    ' (see config/strategy.example.yaml) and check it: cascade validate --live FILE',
  ].join('\n');
  return { config, yaml: doc.toString({ lineWidth: 0 }), objectives: roots.length, nodes: count };
}

export class ImportEmptyError extends Error {
  readonly code = 'CASCADE_IMPORT_EMPTY';
  /** `message`: the tracker's own (its descriptor's `outline.import.empty`). */
  constructor(message: string) {
    super(message);
  }
}

/** A period from the tracker's dates, kept inside the parent's (or left out, with the dates in the comment). */
function periodOf(n: OutlineNode, parent: { start: string; end: string } | undefined): { start: string; end: string } | undefined {
  if (!n.targetDate) return undefined;
  const end = n.targetDate;
  let start = n.startDate && n.startDate <= end ? n.startDate : end;
  if (parent) {
    if (end > parent.end || end < parent.start) return undefined;
    if (start < parent.start) start = parent.start;
  }
  return { start, end };
}

function attachComments(node: unknown, objectives: StrategyNode[], comments: Map<StrategyNode, string>): void {
  if (!isSeq(node)) return;
  node.items.forEach((item, i) => {
    const source = objectives[i];
    if (!source || !isMap(item)) return;
    const map = item as YAMLMap;
    const keyIs = (key: unknown, name: string): boolean => key === name || (isScalar(key) && key.value === name);
    const match = map.items.find((p) => keyIs(p.key, 'match'));
    const comment = comments.get(source);
    if (match && comment && isScalar(match.key)) match.key.commentBefore = comment;
    const children = map.items.find((p) => keyIs(p.key, 'children'));
    if (children && source.children) attachComments(children.value, source.children, comments);
  });
}

function uniqueId(name: string, taken: Set<string>): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'objective';
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
