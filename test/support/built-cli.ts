// The `cascade` command as users run it, for tests that start it as a process:
// built once per run from the sources (product and sandbox, for the demo) into
// a cache folder, incrementally, so a re-run costs seconds.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'node_modules/.cache/cascade-cli-test');

/** Builds the CLI and the sandbox; returns the path of cli.js. */
export async function buildCli(): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  // Outside the project's folders, Node would not know these files are ES modules.
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.build.json', 'tsconfig.sandbox.json']) {
    await promisify(execFile)(process.execPath, [tsc, '-p', project, '--outDir', OUT, '--incremental', '--tsBuildInfoFile', join(OUT, `${project}.tsbuildinfo`), '--sourceMap', 'false'], { cwd: ROOT });
  }
  return join(OUT, 'cli/cli.js');
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Runs `node cli.js …args` from the project root, in a process group of its own (as a terminal runs `npm start`). */
export function runCli(cli: string, args: string[], env: Record<string, string>): CliProcess {
  // Only what the command needs: the test's own environment must not leak tracker credentials in.
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, output: () => out, stderr: () => err, exited };
}

/** Polls until `check` answers true; throws with `what` past the deadline. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces,
 * so the split is after the last ')'): [0] is field 3 of proc(5), the state.
 */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Process ids in a process group (Linux /proc), leaving out zombies. */
export function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = statFields(name);
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return statFields(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Linux's SCHED_IDLE, as /proc/PID/stat gives the policy. */
export const SCHED_IDLE = 5;

/** A process's nice value and scheduling policy (proc(5) fields 19 and 41). */
export function scheduling(pid: number): { nice: number; policy: number } {
  const fields = statFields(pid);
  return { nice: Number(fields[16]), policy: Number(fields[38]) };
}

/** A process's arguments (Linux /proc), empty when it is gone. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
