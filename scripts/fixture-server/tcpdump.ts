// Runs tcpdump on loopback for one scenario: start, wait until it listens, stop with SIGINT, check.
import { spawn, type ChildProcess } from 'node:child_process';
import { FIXTURE_PORT } from './contoso.js';

const LISTEN_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** Lets the last FIN/ACK segments reach the capture before tcpdump stops. */
const SETTLE_MS = 300;

export interface CaptureOptions {
  /** `lo` (Ethernet link type) or `any` (recorded as LINUX_SLL2). */
  readonly iface: 'lo' | 'any';
  readonly nanosecond: boolean;
  /** Bytes kept of each packet (`tcpdump -s`); 0 keeps whole packets. */
  readonly snaplen: number;
}

export interface RunningCapture {
  /** Stops tcpdump and resolves with the number of packets it reports. */
  stop(): Promise<number>;
}

const running = new Set<ChildProcess>();

/** Kills every tcpdump this module started that is still running (for error paths and signals). */
export function killRunningCaptures(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function startCapture(file: string, options: CaptureOptions): Promise<RunningCapture> {
  const args = ['-i', options.iface, '-U', '--immediate-mode', '-Z', 'root', '-s', String(options.snaplen), '-w', file];
  if (options.iface === 'any') args.push('-y', 'LINUX_SLL2');
  if (options.nanosecond) args.push('--time-stamp-precision=nano');
  args.push(`tcp port ${FIXTURE_PORT}`);
  const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => { stderr += text; });

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { running.delete(child); resolve(code); }));

  const stop = async (): Promise<number> => {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`tcpdump exited with ${code}: ${stderr.trim()}`);
    const captured = /(\d+) packets? captured/.exec(stderr);
    if (!captured?.[1]) throw new Error(`tcpdump did not report a packet count: ${stderr.trim()}`);
    const dropped = /(\d+) packets? dropped by kernel/.exec(stderr);
    if (Number(dropped?.[1] ?? 0) > 0) throw new Error(`tcpdump lost packets: ${stderr.trim()}`);
    return Number(captured[1]);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tcpdump did not start listening: ${stderr.trim()}`));
    }, LISTEN_TIMEOUT_MS);
    const onData = (): void => {
      if (!/listening on/.test(stderr)) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve({ stop });
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited early with ${code}: ${stderr.trim()}`));
    });
  });
}
