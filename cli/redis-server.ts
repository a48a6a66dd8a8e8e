// A private redis-server for `npm start` without REDIS_URL, and for the tests.
// It listens on 127.0.0.1 on a free port; with a data directory it keeps an
// append-only file there so accepted events survive a crash of the process.
//
// It runs detached, in a session and process group of its own: Ctrl-C in a
// terminal signals the whole foreground group, and a Redis that died with it
// would leave Cascade unable to finish its shutdown. Cascade stops it last.
// A pid file in the data directory lets the next start stop one left behind
// by a Cascade that was killed outright (kill -9 cannot stop its children).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

export interface RedisServer {
  url: string;
  port: number;
  /** The redis-server's process id (tests pause it with SIGSTOP). */
  pid: number;
  stop(): Promise<void>;
  /** Synchronous last resort for a forced exit: SIGTERM, no waiting. */
  kill(): void;
}

export interface RedisServerOptions {
  /** Directory for the AOF and RDB files; undefined keeps everything in memory (tests). */
  dataDir: string | undefined;
  /** Binary to run. Default: `redis-server` from PATH. */
  binary?: string;
  /** Port to listen on. Default: a free one (tests bring Redis back on the port a client expects). */
  port?: number;
  /** How long to wait for "Ready to accept connections". Default 10 s. */
  readyTimeoutMs?: number;
  /** Start from an empty data directory (the demo: its sandboxes start anew each run, so yesterday's records would describe tickets that no longer exist). Default false. */
  fresh?: boolean;
}

/**
 * A port nothing listens on, for a server started a moment later. Taken below
 * Linux's ephemeral range (32768–60999 by default): a port the kernel handed out
 * with listen(0) can be given again, in the meantime, to one of the many outgoing
 * connections (Redis clients, HTTP calls) as its local port, and the server then
 * fails with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  return listenOn(0);
}

export async function canListen(port: number): Promise<boolean> {
  try {
    await listenOn(port);
    return true;
  } catch {
    return false;
  }
}

async function listenOn(port: number): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve());
  });
  const address = srv.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return bound;
}

export class RedisServerMissingError extends Error {
  readonly code = 'CASCADE_REDIS_SERVER_MISSING';
  constructor() {
    super(
      'redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL to a running Redis',
    );
  }
}

export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    const pidFile = join(options.dataDir, 'redis-server.pid');
    await stopLeftBehind(pidFile);
    if (options.fresh) for (const file of ['appendonlydir', 'appendonly.aof', 'dump.rdb']) rmSync(join(options.dataDir, file), { recursive: true, force: true });
    // fsync on every write: a webhook answered 200 must survive a kill -9 of Redis itself.
    args.push('--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always', '--pidfile', pidFile);
  } else {
    args.push('--appendonly', 'no');
  }
  const child: ChildProcess = spawn(options.binary ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const stopChild = async (): Promise<void> => {
    if (!alive()) return;
    const exited = once(child, 'exit');
    // A paused server (SIGSTOP) would never act on SIGTERM.
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} not ready after ${readyTimeoutMs} ms: ${output.slice(-500)}`)), readyTimeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(err.code === 'ENOENT' ? new RedisServerMissingError() : err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on port ${port} exited with code ${code}: ${output.slice(-500)}`));
      });
    });
  } catch (err) {
    if (alive() && child.pid !== undefined) child.kill('SIGKILL');
    throw err;
  }
  // Drain output so the pipe never fills and blocks redis.
  child.stdout?.resume();
  child.stderr?.resume();
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop() {
      stopped ??= stopChild();
      return stopped;
    },
    kill() {
      if (!alive()) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    },
  };
}

/** Stops a redis-server a killed Cascade left running on this data directory. */
async function stopLeftBehind(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isRedisServer(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && isRedisServer(pid)) await new Promise((r) => setTimeout(r, 50));
}

function isRedisServer(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Linux: make sure the pid was not reused by something else.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return true;
  }
}
