// Stopping on SIGINT/SIGTERM, within a bound. Ctrl-C in a terminal signals
// the whole process group; `docker stop` and supervisors send SIGTERM to the
// process alone. Either way the ordered stop gets `graceMs`; past that (a Redis
// that vanished mid-shutdown, a job that does not finish) the process is ended
// with one line rather than left hanging. Repeated signals do not restart the stop.

export interface ShutdownOptions {
  /** Default 9 s: with the exit itself, the process is gone within 10 s. */
  graceMs?: number;
  /** The ordered stop. */
  stop(reason: string): Promise<void>;
  /** Synchronous last resort when the bound passes: kill what is left. */
  force(): void;
}

export interface Shutdown {
  /** Resolves with the exit code: 0 after a stop on a signal, 1 after a forced stop or one asked for by `fail`. */
  exitCode: Promise<number>;
  /** Stops as a signal would, for a failure that must end the process (exit code 1). */
  fail(reason: string): void;
}

export function shutdownOnSignals(options: ShutdownOptions): Shutdown {
  const graceMs = options.graceMs ?? 9_000;
  let begin!: (reason: string, code: number) => void;
  const exitCode = new Promise<number>((resolve) => {
    let started = false;
    begin = (reason, code) => {
      if (started) return;
      started = true;
      const timer = setTimeout(() => {
        console.error(`cascade: the shutdown did not finish within ${graceMs / 1000} s (is Redis reachable?); exiting anyway`);
        options.force();
        resolve(1);
      }, graceMs);
      options.stop(reason).then(
        () => {
          clearTimeout(timer);
          resolve(code);
        },
        (err: unknown) => {
          clearTimeout(timer);
          console.error(`cascade: the shutdown failed (${err instanceof Error ? err.message : String(err)}); exiting`);
          options.force();
          resolve(1);
        },
      );
    };
  });
  const onSignal = (signal: NodeJS.Signals): void => begin(signal, 0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { exitCode, fail: (reason) => begin(reason, 1) };
}
