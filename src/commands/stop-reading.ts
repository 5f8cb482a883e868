// Ending a run from outside: the first SIGINT or SIGTERM (the proxy stops, a scan stops reading), or a reader that closed stdout (`| head`).
import type { CliIo } from './io.js';

export interface Interrupt {
  /** Resolves with the signal's name on the first SIGINT or SIGTERM. */
  readonly stopped: Promise<NodeJS.Signals>;
  /** Removes the handlers (also done by the first signal). */
  dispose(): void;
}

/**
 * `stopped` resolves on the first SIGINT or SIGTERM, which also removes the handlers: a second
 * signal during the shutdown ends the process the default way. `dispose` removes them unused.
 */
export function onInterrupt(): Interrupt {
  let dispose = (): void => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      dispose();
      resolve(signal);
    };
    dispose = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { stopped, dispose };
}

export interface ReadingStop {
  /** Aborted on the first SIGINT / SIGTERM or when stdout's reader went away (EPIPE). */
  readonly signal: AbortSignal;
  /** Removes the signal handlers; stdout's EPIPE stays quiet for the rest of the run. */
  dispose(): void;
}

/**
 * Stops a scan's reading without losing what was read: on SIGINT or SIGTERM (one line on stderr
 * says so) the report of what was seen is still written and the exit code follows --fail-on; when
 * stdout's reader closed the pipe, reading stops quietly (no stack trace) and the run ends with
 * the exit code it had.
 */
export function stopReadingOn(io: CliIo, note = 'stopped reading; the report covers what was read until now'): ReadingStop {
  const controller = new AbortController();
  const interrupt = onInterrupt();
  void interrupt.stopped.then((signal) => {
    if (controller.signal.aborted) return;
    io.stderr.write(`oauth-inspect: ${signal}: ${note}\n`);
    controller.abort(new Error(`stopped by ${signal}`));
  });
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') controller.abort(new Error('stdout was closed'));
  });
  return { signal: controller.signal, dispose: () => interrupt.dispose() };
}
