// The example strategy shipped in config/, loaded once for tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../../src/config/parse-document.js';
import { validateConfig } from '../../src/config/validate-config.js';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';

export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../config/strategy.example.yaml', import.meta.url));

export function exampleConfig(): CascadeConfig {
  const parsed = parseConfigText(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const result = validateConfig(parsed.value);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return structuredClone(result.config);
}
