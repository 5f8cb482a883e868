// Test helper: the built CLI as a child whose stdin the test writes as a capture tool would, and whose output it watches as it comes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { binPath, repoRoot, TEST_FINGERPRINT_KEY } from './cli.js';

export interface LiveRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern`; rejects after `timeoutMs` with what came. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` to the child, or to its whole process group when started `detached` (as Ctrl-C reaches a shell pipeline). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal's name); rejects after `timeoutMs`, having killed the child. */
  exited(timeoutMs?: number): Promise<number | string>;
}

/** Every child a test started and has not seen exit, with whether it leads its own process group: killed by killLiveRuns (afterEach). */
const running = new Map<ChildProcessWithoutNullStreams, boolean>();

function kill(child: ChildProcessWithoutNullStreams, group: boolean, signal: NodeJS.Signals): void {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Gone already.
  }
}

export function killLiveRuns(): void {
  for (const [child, group] of running) kill(child, group, 'SIGKILL');
  running.clear();
}

export interface LiveRunOptions {
  /** Another program than the CLI (e.g. bash -c with $NODE and $BIN set). */
  readonly command?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Its own process group, so that signal() reaches every process of a pipeline. */
  readonly detached?: boolean;
}

/** Runs `node dist/bin.js …args` (or `command` with `commandArgs`, e.g. bash -c) with piped stdio. */
export function startLive(args: readonly string[], options: LiveRunOptions = {}): LiveRun {
  const [command, commandArgs] = options.command === undefined ? [process.execPath, [binPath, ...args]] : [options.command, [...args]];
  const group = options.detached === true;
  const child = spawn(command, commandArgs, {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, BIN: binPath, NODE: process.execPath, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: group,
  });
  running.set(child, group);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  // A child that stopped reading makes a late write fail with EPIPE: the test sees that through `exited`, not as a crash.
  child.stdin.on('error', () => undefined);
  const exit = new Promise<number | string>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  /** Resolves once the text of `stream` matches `pattern`; rejects after `timeoutMs` with what came. */
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const text = (): string => (stream === 'stdout' ? out : err);
      const check = (): boolean => {
        if (!pattern.test(text())) return false;
        clearTimeout(timer);
        child[stream].off('data', check);
        resolve(text());
        return true;
      };
      const timer = setTimeout(() => {
        child[stream].off('data', check);
        reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms; stdout: ${out.slice(0, 2000)}\nstderr: ${err.slice(0, 2000)}`));
      }, timeoutMs);
      // After the helper's own listener (registered first), so the text includes this chunk.
      if (!check()) child[stream].on('data', check);
    });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStdout: (pattern, timeoutMs = 10_000) => waitFor('stdout', pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs = 10_000) => waitFor('stderr', pattern, timeoutMs),
    signal: (signal) => kill(child, group, signal),
    exited: (timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          kill(child, group, 'SIGKILL');
          reject(new Error(`still running after ${timeoutMs} ms; stdout: ${out.slice(0, 2000)}\nstderr: ${err.slice(0, 2000)}`));
        }, timeoutMs);
        void exit.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
  };
}
