// The layout's one-way imports: cli/ → workers/ → src/, and the product never
// imports the sandbox (the demo loads it at run time, see cli/demo/load-demo.ts).
// Inside src/: the pure core imports only the core, the receiver never reaches a
// tracker's own folder, and the folders import each other in one direction.
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

/** The files (relative to the root) that `file` imports, by its static and dynamic import specifiers. */
function importedPaths(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specifiers.map((s) => relative(root, resolve(root, dirname(file), s)));
}

const topFolder = (path: string): string => path.split('/')[0] as string;
/** The folder of src/ a path is in: `strategy` for src/strategy/x.ts, `(root)` for src/app.ts. */
const srcFolder = (path: string): string => {
  const parts = path.split('/');
  return parts.length > 2 ? (parts[1] as string) : '(root)';
};

const allowed: Record<string, string[]> = { src: ['src'], workers: ['workers', 'src'], cli: ['cli', 'workers', 'src'] };

/** The pure core: plain data in and out, time passed in. */
const core = ['strategy', 'reconcile', 'commands', 'records', 'forecast', 'digest'];
/** What the receiver is made of: it verifies, normalises and queues, and reaches trackers only through their descriptors' shared code. */
const receiver = (file: string): boolean => /^src\/(routes|webhooks)\//.test(file) || file === 'src/app.ts';
/** A tracker's own folder (src/trackers/<id>/), as opposed to what all trackers share. */
const trackerFolder = /^src\/trackers\/[^/]+\//;
/** What the sandbox may take from the product: the signing and document code the trackers' own docs describe, and the environment's shape for the demo. */
const sandboxMayImport = ['src/trackers/jira/verify-webhook.js', 'src/trackers/jira/adf-text.js', 'src/config/environment.js'];

/** The trackers, by their folders (src/trackers/<id>/): a new tracker's name is counted as soon as its folder exists. */
const trackerNames = readdirSync(join(root, 'src/trackers')).filter((name) => statSync(join(root, 'src/trackers', name)).isDirectory());
/** A tracker's id as a string literal: 'linear', "jira"… */
const namesATracker = new RegExp(`['"\`](${trackerNames.join('|')})['"\`]`);

/**
 * Product files outside src/trackers/ and cli/ that still name a tracker, and why each may.
 * None: a new tracker is its folder and a line in the registry. The core reads tracker ids as
 * opaque strings (TrackerId is declared into src/strategy/types.ts by the registry), tracker
 * words and config rules come from the descriptors as data, and the config's match entries
 * are read by what they match (src/strategy/match-keys.ts), not by tracker. (The trackers'
 * parts of the config schema, src/strategy/tree-schema.ts, name them as keys, not strings:
 * the schema is the core's static types, so a new tracker adds its part there.)
 */
const mayNameATracker: Record<string, string> = {};

/** Imports from one folder of src/ to another, as `from → to` with the files that make each edge. */
function srcEdges(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles('src')) {
    const from = srcFolder(file);
    for (const target of importedPaths(file).filter((p) => topFolder(p) === 'src')) {
      const to = srcFolder(target);
      if (to === from) continue;
      const out = edges.get(from) ?? new Map<string, string[]>();
      out.set(to, [...(out.get(to) ?? []), file]);
      edges.set(from, out);
    }
  }
  return edges;
}

/** Every cycle between folders, each as the folders it passes through (Tarjan's strongly connected components of two or more). */
function folderCycles(edges: Map<string, Map<string, string[]>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return components;
}

describe('layering', () => {
  for (const [folder, may] of Object.entries(allowed)) {
    it(`${folder}/ imports only ${may.join(', ')}`, () => {
      const offending = sourceFiles(folder).flatMap((file) =>
        importedPaths(file)
          .map(topFolder)
          .filter((target) => !may.includes(target))
          .map((target) => `${file} → ${target}/`),
      );
      expect(offending).toEqual([]);
    });
  }

  it(`the core (${core.join(', ')}) imports only the core: no config loader, store, queue, route, receiver or tracker`, () => {
    const offending = sourceFiles('src')
      .filter((file) => core.includes(srcFolder(file)))
      .flatMap((file) => importedPaths(file).filter((target) => topFolder(target) !== 'src' || !core.includes(srcFolder(target))).map((target) => `${file} → ${target}`));
    expect(offending).toEqual([]);
  });

  it("the receiver (app.ts, routes/, webhooks/) imports no tracker's own folder", () => {
    const offending = sourceFiles('src')
      .filter(receiver)
      .flatMap((file) => importedPaths(file).filter((target) => trackerFolder.test(target)).map((target) => `${file} → ${target}`));
    expect(offending).toEqual([]);
  });

  it('the folders of src/ import each other in one direction: no cycle', () => {
    const edges = srcEdges();
    const cycles = folderCycles(edges).map((folders) =>
      folders.map((from) => `${from} → ${folders.filter((to) => edges.get(from)?.has(to)).map((to) => `${to} (${edges.get(from)!.get(to)![0]})`).join(', ')}`).join('; '),
    );
    expect(cycles).toEqual([]);
  });

  it(`sandbox/ imports only itself and, from src/, ${sandboxMayImport.join(', ')}`, () => {
    const offending = sourceFiles('sandbox').flatMap((file) =>
      importedPaths(file)
        .filter((target) => topFolder(target) !== 'sandbox' && !sandboxMayImport.includes(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('no product file outside src/trackers/ and cli/ names a tracker, except those listed with their reason', () => {
    const naming = ['src', 'workers']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith('src/trackers/'))
      .filter((file) => namesATracker.test(readFileSync(join(root, file), 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '')));
    expect(naming.sort()).toEqual(Object.keys(mayNameATracker).sort());
  });
});
