// Test helpers for the capture readers: the shared corpus, tshark/tcpdump as oracles, sinks.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Anomaly, CaptureFrame, CaptureSecrets } from '../../src/model/index.js';
import type { CaptureSink } from '../../src/sources/capture-sink.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedCorpusDir = resolve(repoRoot, '../shared/corpus');
export const tcpdumpCorpusDir = join(sharedCorpusDir, 'tcpdump');
export const corpusAvailable = existsSync(tcpdumpCorpusDir);

/** What a reader delivered; frames keep only what tests compare. */
export interface Collected {
  readonly frames: Array<Pick<CaptureFrame, 'frameNumber' | 'time' | 'linkType' | 'originalLength' | 'interfaceId'> & { length: number; data: Buffer }>;
  readonly anomalies: Anomaly[];
  readonly secretBlocks: CaptureSecrets[];
}

/** A sink that keeps frame metadata (and a copy of the bytes when `keepData`). */
export function collectingSink(keepData = false): CaptureSink & Collected {
  const collected: Collected = { frames: [], anomalies: [], secretBlocks: [] };
  return {
    ...collected,
    frame(frame) {
      const { frameNumber, time, linkType, originalLength, interfaceId } = frame;
      const data = keepData ? Buffer.from(frame.data) : Buffer.alloc(0);
      collected.frames.push({ frameNumber, time, linkType, originalLength, interfaceId, length: frame.data.length, data });
    },
    anomaly(anomaly) {
      collected.anomalies.push(anomaly);
    },
    secrets(secrets) {
      collected.secretBlocks.push(secrets);
    },
  };
}

export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs a tool with a time bound; resolves with its output whatever the exit code. */
export function runTool(command: string, args: readonly string[], timeoutMs = 30_000): Promise<ToolRun> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error.killed || typeof error.code !== 'number')) {
        reject(new Error(`${command} ${args.join(' ')}: ${error.message}`));
        return;
      }
      resolvePromise({ stdout, stderr, exitCode: typeof error?.code === 'number' ? error.code : 0 });
    });
  });
}

/**
 * tshark's frame.number and frame.time_epoch for every frame it read (and with `tcpStreams`, the
 * tcp.stream values of each TCP frame), and its error, if any.
 */
export async function tsharkFrames(
  file: string,
  { tcpStreams = false } = {},
): Promise<{ frames: Array<{ number: number; epoch: string; streams?: number[] }>; error?: string }> {
  const fields = ['-e', 'frame.number', '-e', 'frame.time_epoch', ...(tcpStreams ? ['-e', 'tcp.stream'] : [])];
  const run = await runTool('tshark', ['-r', file, '-T', 'fields', ...fields]);
  const frames = run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [number = '', epoch = '', streams = ''] = line.split('\t');
      return { number: Number(number), epoch, ...(streams !== '' ? { streams: streams.split(',').map(Number) } : {}) };
    });
  const error = run.stderr
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('Running as user'))
    .join(' ');
  return run.exitCode === 0 && error === '' ? { frames } : { frames, error: error || `exit code ${run.exitCode}` };
}

/** tcpdump's packet count (libpcap reads link types that Wireshark 4.0 refuses). */
export async function tcpdumpCount(file: string): Promise<number> {
  const run = await runTool('tcpdump', ['-r', file, '--count']);
  const match = /^(\d+) packets?$/m.exec(run.stdout);
  if (!match?.[1]) throw new Error(`tcpdump --count ${file}: ${run.stdout} ${run.stderr}`);
  return Number(match[1]);
}

/** Seconds since the epoch with 9 decimals, as tshark prints frame.time_epoch. */
export function epochString(time: { sec: number; nsec: number }): string {
  return `${time.sec}.${String(time.nsec).padStart(9, '0')}`;
}

/** Runs `task` over `items` with at most `concurrency` at a time, in order of completion. */
export async function mapLimited<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
