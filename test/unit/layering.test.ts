// The layout's one-way imports: cli/ → workers/ → src/, and the product never
// imports the sandbox (the demo loads it at run time, see cli/demo/load-demo.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level folders that `file` imports, by its static and dynamic import specifiers. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specifiers.map((s) => relative(root, resolve(root, dirname(file), s)).split('/')[0] as string);
}

const allowed: Record<string, string[]> = { src: ['src'], workers: ['workers', 'src'], cli: ['cli', 'workers', 'src'] };

describe('layering', () => {
  for (const [folder, may] of Object.entries(allowed)) {
    it(`${folder}/ imports only ${may.join(', ')}`, () => {
      const offending = sourceFiles(folder).flatMap((file) =>
        importedFolders(file)
          .filter((target) => !may.includes(target))
          .map((target) => `${file} → ${target}/`),
      );
      expect(offending).toEqual([]);
    });
  }
});
