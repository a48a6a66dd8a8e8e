import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-document.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { exampleConfig } from '../support/example-config.js';
import { resolveRules } from '../../src/strategy/tree-schema.js';

function issuesOf(doc: unknown): Array<{ path: string; message: string }> {
  const result = validateConfig(doc);
  return result.ok ? [] : result.issues;
}

function pathsOf(doc: unknown): string[] {
  return issuesOf(doc).map((i) => i.path);
}

describe('config validation', () => {
  it('accepts the shipped example', () => {
    expect(validateConfig(exampleConfig()).ok).toBe(true);
  });

  it('names the path of a child period that ends after its parent', () => {
    const config = exampleConfig();
    config.objectives[0]!.children![0]!.period = { start: '2026-08-01', end: '2027-03-31' };
    const issues = issuesOf(config);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('objectives[0].children[0].period.end');
    expect(issues[0]!.message).toContain('after its parent');
  });

  it('checks a grandchild against the period it inherits', () => {
    const config = exampleConfig();
    config.objectives[0]!.children![0]!.children![0]!.period = { start: '2026-06-01', end: '2026-09-30' };
    expect(pathsOf(config)).toEqual(['objectives[0].children[0].children[0].period.start']);
  });

  it('reports every problem at once, each with its path', () => {
    const config = exampleConfig();
    const first = config.objectives[0]!;
    first.children![1]!.id = 'identity'; // duplicate of a grandchild's id
    first.period = { start: '2026-12-31', end: '2026-07-01' }; // reversed
    config.objectives[1]!.match = { linear: { initiatives: ['enterprise READINESS'] } }; // claimed by objectives[0]
    config.objectives[2]!.target_share = 0.5; // 0.4 + 0.35 + 0.5 > 1
    expect(pathsOf(config).sort()).toEqual(
      [
        'objectives',
        'objectives[0].children[1].id',
        'objectives[0].period.end',
        'objectives[1].match.linear.initiatives[0]',
      ].sort(),
    );
  });

  it('rejects ids that are not lower-case slugs and says how to write them', () => {
    const config = exampleConfig();
    config.objectives[0]!.children![0]!.children![0]!.id = 'Identity Team';
    const issues = issuesOf(config);
    expect(issues.map((i) => i.path)).toEqual(['objectives[0].children[0].children[0].id']);
    expect(issues[0]!.message).toMatch(/lower-case letters, digits and dashes/);
  });

  it('rejects impossible dates and malformed ones with their paths', () => {
    const config = exampleConfig();
    config.objectives[1]!.period = { start: '2026-02-30', end: '2026-12-31' };
    expect(pathsOf(config)).toEqual(['objectives[1].period.start']);
    (config.objectives[1]!.period as { start: string }).start = '1 July 2026';
    expect(issuesOf(config)[0]!.message).toMatch(/YYYY-MM-DD/);
  });

  it('rejects nesting deeper than the levels listed', () => {
    const config = exampleConfig();
    config.levels = ['company', 'portfolio'];
    expect(pathsOf(config)).toEqual(['objectives[0].children[0].children[0]', 'objectives[0].children[0].children[0].children[0]', 'objectives[0].children[0].children[1]']);
  });

  it('rejects a level listed twice', () => {
    const config = exampleConfig();
    config.levels = ['company', 'product', 'product', 'feature'];
    expect(pathsOf(config)).toContain('levels[2]');
  });

  it('finds unknown fields, wrong types and bad enum values', () => {
    const doc = {
      objectives: [{ id: 'a', title: 'A', status: 'paused', target_share: 2, colour: 'red' }],
      rules: { on_aligned: 'shout', grace_minutes: 'soon' },
    };
    expect(pathsOf(doc).sort()).toEqual(
      ['objectives[0].colour', 'objectives[0].status', 'objectives[0].target_share', 'rules.grace_minutes', 'rules.on_aligned'].sort(),
    );
  });

  it('takes rules.comment as true/false or { enabled, reveal }, naming the path inside the object', () => {
    const issues = (comment: unknown) => {
      const result = validateConfig({ objectives: [{ id: 'a', title: 'A' }], rules: { comment } });
      return result.ok ? [] : result.issues;
    };
    for (const good of [true, false, {}, { enabled: false }, { reveal: 'path' }, { enabled: true, reveal: 'objective' }, { reveal: 'none' }]) expect(issues(good)).toEqual([]);
    expect(issues({ reveal: 'secret' })).toEqual([{ path: 'rules.comment.reveal', message: '"secret" is not one of "path", "objective", "none"' }]);
    expect(issues({ enabled: 'no' }).map((i) => i.path)).toEqual(['rules.comment.enabled']);
    expect(issues({ revael: 'none' })).toEqual([{ path: 'rules.comment.revael', message: 'unknown field (check its spelling and indentation)' }]);
    expect(issues('yes')).toEqual([{ path: 'rules.comment', message: '"yes" is not one of true, false, { enabled, reveal }' }]);
    expect(resolveRules({ comment: { reveal: 'objective' } })).toMatchObject({ comment: true, reveal: 'objective' });
    expect(resolveRules({ comment: { enabled: false } })).toMatchObject({ comment: false, reveal: 'path' });
    expect(resolveRules({ comment: false })).toMatchObject({ comment: false, reveal: 'path' });
  });

  it('reports schema and semantic problems together, each once', () => {
    const config = exampleConfig() as unknown as { objectives: Array<Record<string, unknown>> };
    config.objectives[0]!.id = 'Enterprise';
    config.objectives[1]!.period = { start: '2026-12-31', end: '2026-07-01' };
    expect(pathsOf(config).sort()).toEqual(['objectives[0].id', 'objectives[1].period.end']);
  });

  it('requires at least one objective', () => {
    expect(pathsOf({ objectives: [] })).toEqual(['objectives']);
    expect(pathsOf({})).toEqual(['objectives']);
  });

  it('rejects a match entry listed twice on one node', () => {
    const config = exampleConfig();
    config.objectives[2]!.children![0]!.match = { jira: { issues: ['API-1', 'api-1'] } };
    expect(pathsOf(config)).toEqual(['objectives[2].children[0].match.jira.issues[1]']);
  });

  it('parses YAML and JSON and locates syntax errors', () => {
    expect(parseConfigText('{"objectives": []}').ok).toBe(true);
    const badJson = parseConfigText('{"objectives": [}');
    expect(badJson.ok).toBe(false);
    const badYaml = parseConfigText('objectives:\n  - id: a\n   title: b\n');
    expect(badYaml.ok ? [] : badYaml.issues[0]!.path).toMatch(/line 3/);
    const dup = parseConfigText('objectives: []\nobjectives: []\n');
    expect(dup.ok).toBe(false);
  });

  it('keeps YAML dates as the strings the schema expects', () => {
    const parsed = parseConfigText('objectives:\n  - id: a\n    title: A\n    period: { start: 2026-07-01, end: 2026-12-31 }\n');
    expect(parsed.ok && validateConfig(parsed.value).ok).toBe(true);
  });

  it('takes a Jira customer field by its id and says how to write one it cannot read', () => {
    const config = exampleConfig();
    config.rules = { ...config.rules, customer_field: 'customfield_10050' };
    expect(issuesOf(config)).toEqual([]);
    expect(resolveRules(config.rules).customerField).toBe('customfield_10050');
    expect(resolveRules(exampleConfig().rules).customerField).toBeNull();
    config.rules.customer_field = 'Customer requests';
    expect(issuesOf(config)).toEqual([{ path: 'rules.customer_field', message: expect.stringContaining('customfield_ followed by its number') }]);
  });
});
