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
  /** Resolves with the exit code (or the signal's name); rejects after `timeoutMs`, having killed the child. */
  exited(timeoutMs?: number): Promise<number | string>;
}

/** Every child a test started and has not seen exit: killed by killLiveRuns (afterEach). */
const running = new Set<ChildProcessWithoutNullStreams>();

export function killLiveRuns(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Runs `node dist/bin.js …args` (or `command` with `commandArgs`, e.g. bash -c) with piped stdio. */
export function startLive(args: readonly string[], options: { command?: string; env?: NodeJS.ProcessEnv } = {}): LiveRun {
  const [command, commandArgs] = options.command === undefined ? [process.execPath, [binPath, ...args]] : [options.command, [...args]];
  const child = spawn(command, commandArgs, {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, BIN: binPath, NODE: process.execPath, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
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
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStdout: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (!pattern.test(out)) return false;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve(out);
          return true;
        };
        const timer = setTimeout(() => {
          child.stdout.off('data', check);
          reject(new Error(`no ${pattern} on stdout within ${timeoutMs} ms; stdout: ${out.slice(0, 2000)}\nstderr: ${err.slice(0, 2000)}`));
        }, timeoutMs);
        if (!check()) child.stdout.on('data', check);
      }),
    exited: (timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running after ${timeoutMs} ms; stdout: ${out.slice(0, 2000)}\nstderr: ${err.slice(0, 2000)}`));
        }, timeoutMs);
        void exit.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
  };
}
