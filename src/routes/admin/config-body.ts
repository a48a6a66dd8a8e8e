// Reading a config document from a request: the raw text is kept (YAML needs
// it, and JSON.parse on our side gives the same errors as the CLI), then
// parsed and validated in full, every problem reported at once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseConfigText } from '../../config/parse-document.js';
import { validateConfig } from '../../config/validate-config.js';
import type { CascadeConfig } from '../../strategy/tree-schema.js';
import type { ConfigIssue } from '../../config/config-issues.js';

export const CONFIG_CONTENT_TYPES = ['application/json', 'application/yaml', 'text/yaml', 'application/x-yaml', 'text/plain'];

/** In this scope only: bodies of the accepted types arrive as the raw string. */
export function acceptConfigDocuments(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CONFIG_CONTENT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

export type ConfigRead = { ok: true; config: CascadeConfig } | { ok: false; issues: ConfigIssue[] };

export function readConfigDocument(request: FastifyRequest): ConfigRead {
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') return { ok: false, issues: [{ path: '(document)', message: 'the body is empty: send the config as JSON or YAML' }] };
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const format = type.startsWith('application/json') ? 'json' : type.includes('yaml') ? 'yaml' : 'auto';
  const parsed = parseConfigText(text, format);
  if (!parsed.ok) return parsed;
  const result = validateConfig(parsed.value);
  return result.ok ? { ok: true, config: result.config } : result;
}

/**
 * The versions an If-Match names: `"3"`, `W/"3"` or a list of them. An
 * unreadable value names no version, so it can never match (412, not 400).
 */
export function versionsIn(ifMatch: string): number[] {
  const out: number[] = [];
  for (const match of ifMatch.matchAll(/(?:W\/)?"(\d{1,15})"/g)) out.push(Number(match[1]));
  return out;
}

/** Same content, whatever the key order (a YAML body and the stored JSON list keys differently). */
export function sameConfig(a: CascadeConfig, b: CascadeConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
