// Test helpers: run the built CLI as a user would (a child process) or in-process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = `${repoRoot}dist/bin.js`;
export const sharedDir = fileURLToPath(new URL('../../../shared', import.meta.url));
export const corpusDir = `${sharedDir}/corpus`;
export const hasSharedCorpus = existsSync(corpusDir);

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A fixed fingerprint key for CLI runs in tests: golden reports stay the same on every machine,
 * and no test writes a key file into the home folder.
 */
export const TEST_FINGERPRINT_KEY = 'oauth-inspect-test-fingerprint-key';

/** Runs `node dist/bin.js …args` and collects its output. */
export function runBin(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Runs the CLI in this process (faster; no build needed). */
export async function runInProcess(args: string[]): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        into.push(Buffer.from(chunk));
        cb();
      },
    });
  const code = await runCli(args, { stdout: sink(out), stderr: sink(err), env: { NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY } });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Runs tshark with `args`; returns stdout (tshark must be installed: `npm test` installs it). */
export function tshark(args: string[]): string {
  const result = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (result.error) throw result.error;
  return result.stdout;
}
