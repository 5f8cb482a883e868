// Test helpers: run PacketDecoder + TcpReassembler over a capture file, and ask tshark the same questions.
import { spawnSync } from 'node:child_process';
import type { Anomaly, Direction, TcpStreamInfo } from '../../src/model/index.js';
import { PacketDecoder } from '../../src/reassembly/packet-decoder.js';
import { TcpReassembler } from '../../src/reassembly/tcp-reassembler.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { RecordingHandler } from './factories.js';

export interface OurCapture {
  /** frame number -> tcp.stream of each TCP layer in it, in order. */
  readonly streamsByFrame: Map<number, number[]>;
  readonly streams: RecordingHandler[];
  readonly anomalies: Anomaly[];
  readonly streamCount: number;
}

export async function runOurs(path: string): Promise<OurCapture> {
  const streamsByFrame = new Map<number, number[]>();
  const streams: RecordingHandler[] = [];
  const anomalies: Anomaly[] = [];
  const onAnomaly = (a: Anomaly): void => void anomalies.push(a);
  const reassembler = new TcpReassembler({
    file: path,
    onAnomaly,
    open: (info: TcpStreamInfo) => {
      const handler = new RecordingHandler(info);
      streams.push(handler);
      return handler;
    },
  });
  const decoder = new PacketDecoder(
    (segment) => {
      const index = reassembler.segment(segment);
      const list = streamsByFrame.get(segment.frameNumber);
      if (list) list.push(index);
      else streamsByFrame.set(segment.frameNumber, [index]);
    },
    onAnomaly,
    path,
  );
  await readPacketFile(path, { frame: (f) => decoder.decode(f), anomaly: onAnomaly, secrets: () => undefined });
  decoder.finish();
  reassembler.finish();
  return { streamsByFrame, streams, anomalies, streamCount: reassembler.streamCount };
}

function tshark(args: string[]): string {
  const result = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** frame number -> tcp.stream values as tshark 4.0 prints them (frames without one left out). */
export function tsharkStreams(path: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const line of tshark(['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-Y', 'tcp']).split('\n')) {
    const [frame, streams] = line.split('\t');
    if (!frame || !streams) continue;
    out.set(Number(frame), streams.split(',').map(Number));
  }
  return out;
}

/** Each direction's bytes of `stream` per tshark's Follow TCP Stream; node 0 (the first sender) is 'client'. */
export function tsharkFollow(path: string, stream: number): Record<Direction, Buffer> {
  const text = tshark(['-r', path, '-o', 'tcp.reassemble_out_of_order:TRUE', '-q', '-z', `follow,tcp,raw,${stream}`]);
  const lines = text.split('\n');
  const chunks: Record<Direction, Buffer[]> = { client: [], server: [] };
  let inBody = false;
  for (const line of lines) {
    if (line.startsWith('Node 1:')) {
      inBody = true;
      continue;
    }
    if (!inBody || line.startsWith('====') || line.trim() === '') continue;
    // Server-to-client data is indented by a tab.
    const direction: Direction = line.startsWith('\t') ? 'server' : 'client';
    chunks[direction].push(Buffer.from(line.trim(), 'hex'));
  }
  return { client: Buffer.concat(chunks.client), server: Buffer.concat(chunks.server) };
}

/** Every (frame, stream) pair where the two disagree, as readable lines. */
export function streamMismatches(ours: Map<number, number[]>, theirs: Map<number, number[]>): string[] {
  const problems: string[] = [];
  const frames = new Set([...ours.keys(), ...theirs.keys()]);
  for (const frame of [...frames].sort((a, b) => a - b)) {
    const a = (ours.get(frame) ?? []).join(',');
    const b = (theirs.get(frame) ?? []).join(',');
    if (a !== b) problems.push(`frame ${frame}: ours [${a}] tshark [${b}]`);
  }
  return problems;
}
