// The one-process default (`cascade all`) runs its workers in a child process
// running `cascade work`, so checks, fan-outs and sweeps never hold the
// receiver's event loop (bench/ingest.ts measures the difference).
//
// The child is tied to its parent: it gets an IPC channel and stops by itself
// when that channel closes (the parent died, even by kill -9), so it is never
// left behind. A child that dies on its own is restarted; one that keeps dying
// ends the parent with one line, so a supervisor sees the failure.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setPriority } from 'node:os';
import type { Logger } from 'pino';

export interface WorkerProcessOptions {
  /** The child's whole environment (REDIS_URL, tracker credentials, CONFIG_FILE…). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Called once when the child keeps dying: the parent should stop and exit non-zero. */
  onGiveUp(reason: string): void;
  /** Deaths within `windowMs` that make the parent give up. Default 3 in 60 s. */
  maxDeaths?: number;
  windowMs?: number;
}

export interface WorkerProcess {
  /** Resolves once the first child reports its workers started. */
  ready: Promise<void>;
  pid(): number | undefined;
  /** Asks the child to finish its jobs and exit (SIGTERM); resolves when it has. */
  stop(): Promise<void>;
  /** Forced exit path: SIGKILL, no waiting. */
  kill(): void;
}

/**
 * Nice value of the worker process (0 is the receiver's, 19 the lowest
 * priority): the workers' jobs can wait, a tracker's webhook cannot. It is the
 * fallback where Linux's idle scheduling class cannot be set (see giveWay).
 */
const WORKER_NICENESS = 19;
const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

export function startWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  const maxDeaths = options.maxDeaths ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const deaths: number[] = [];
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Awaited by the caller; a failure here is also reported through onGiveUp.
  ready.catch(() => undefined);

  const spawnChild = (): void => {
    const started = fork(CLI, ['work'], { env: { ...options.env, CASCADE_WORKER_CHILD: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = started;
    if (started.pid !== undefined) giveWay(started.pid, options.logger);
    started.on('message', (message: unknown) => {
      if (message === 'ready') resolveReady();
    });
    started.once('exit', (code, signal) => {
      if (child === started) child = undefined;
      if (stopping) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths.length > 0 && deaths[0]! < now - windowMs) deaths.shift();
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (deaths.length >= maxDeaths) {
        const reason = `the worker process died ${deaths.length} times within ${Math.round(windowMs / 1000)} s (last: ${how})`;
        rejectReady(new Error(reason));
        options.onGiveUp(reason);
        return;
      }
      options.logger.error({ code, signal }, `the worker process exited (${how}): restarting it`);
      restartTimer = setTimeout(spawnChild, 500 * deaths.length);
    });
  };
  spawnChild();

  return {
    ready,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = once(current, 'exit');
      current.kill('SIGTERM');
      await exited;
    },
    kill() {
      stopping = true;
      clearTimeout(restartTimer);
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Background work: under CPU contention the receiver, which must answer within
 * the trackers' 5 s, goes first. Nice 19 still lets the workers take a share of
 * a busy CPU, and a waking receiver waits for the running worker's slice; in
 * the idle class (SCHED_IDLE, set by util-linux's chrt on every thread, and
 * inherited by threads made later) the workers run almost only on CPU time
 * nobody else wants (a weight of 3 against a nice-0 process's 1024, where nice
 * 19 has 15), and a waking receiver preempts them at once. bench/ingest-default.ts,
 * 11 runs each, interleaved: 0.35-0.47x a bare route (median 0.42) against
 * 0.31-0.40x (median 0.34) at nice 19.
 */
export function giveWay(pid: number, logger: Pick<Logger, 'debug'>): void {
  try {
    setPriority(pid, WORKER_NICENESS);
  } catch {
    // not permitted here: same priority, still off the receiver's event loop
  }
  execFile('chrt', ['--all-tasks', '--idle', '--pid', '0', String(pid)], (err) => {
    if (err) logger.debug({ err: err.message }, 'the worker process stays at nice 19 (chrt could not set the idle scheduling class)');
  });
}
