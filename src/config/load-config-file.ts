// Reads and validates a config file from disk: the `validate` command and the
// seed of the config store when Redis holds no version yet.
import { readFile } from 'node:fs/promises';
import { parseConfigText } from './parse-document.js';
import { validateConfig, type ValidationResult } from './validate-config.js';

export async function loadConfigFile(path: string): Promise<ValidationResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, issues: [{ path: '(file)', message: code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(err as Error).message}` }] };
  }
  const parsed = parseConfigText(text, path.endsWith('.json') ? 'json' : 'auto');
  return parsed.ok ? validateConfig(parsed.value) : parsed;
}
