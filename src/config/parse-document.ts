// Turns the text of a config file or request body into plain data. YAML is a
// superset of JSON, but JSON bodies get JSON's own clearer error messages.
import { parseDocument } from 'yaml';
import type { ConfigIssue } from './config-issues.js';

export type ParseResult = { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] };

export function parseConfigText(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): ParseResult {
  const trimmed = text.trimStart();
  const asJson = format === 'json' || (format === 'auto' && (trimmed.startsWith('{') || trimmed.startsWith('[')));
  if (asJson) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      return { ok: false, issues: [{ path: '(document)', message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  // The core schema keeps 2026-07-01 a string, as the config format expects.
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        path: e.linePos ? `(line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '(document)',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
}
