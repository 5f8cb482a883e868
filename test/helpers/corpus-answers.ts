// tshark's answers for the shared tcpdump corpus: asked once (npm run record:corpus-answers), committed, read by the tests.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { tcpdumpCount, tsharkFrames } from '../sources/capture-oracle.js';
import { tsharkStreams } from '../reassembly/run-capture.js';

export const answersDir = fileURLToPath(new URL('../corpus-answers/', import.meta.url));
export const framesAnswersFile = join(answersDir, 'tcpdump-frames.tshark.tsv');
export const streamsAnswersFile = join(answersDir, 'tcpdump-tcp-streams.tshark.tsv.gz');
export const RECORD_COMMAND = 'npm run record:corpus-answers';

/** Wireshark 4.0 refuses these link types at open; tcpdump (libpcap) counts their frames. */
export const WIRESHARK_UNSUPPORTED_LINK_TYPE = /network type \d+ unknown or unsupported/;

/** What tshark said about one capture's frames (and tcpdump, where tshark refuses the link type). */
export interface FramesAnswer {
  readonly file: string;
  /** The first 16 hex digits of the capture's sha256: the answer holds for these bytes only. */
  readonly digest: string;
  readonly frames: number;
  /** frame.time_epoch of the first and last frame tshark printed. */
  readonly firstEpoch?: string;
  readonly lastEpoch?: string;
  /** tshark's error (its stderr, the corpus folder left out), when it stopped on one. */
  readonly error?: string;
  /** tcpdump's frame count, when tshark refuses the link type. */
  readonly tcpdumpCount?: number;
}

/** tshark's tcp.stream values per frame number (frames without TCP left out) for one capture. */
export interface StreamsAnswer {
  readonly file: string;
  readonly digest: string;
  readonly streams: Map<number, number[]>;
}

export function fileDigest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

/** Asks tshark now (tcpdump too, for a link type tshark refuses). */
export async function askFrames(dir: string, file: string): Promise<FramesAnswer> {
  return framesAnswer(dir, file, await tsharkFrames(join(dir, file)));
}

/**
 * The recorder's question: frames and tcp.stream values from one tshark pass per capture. The
 * streams are those `tshark -Y tcp -e tcp.stream` prints (a frame without a tcp.stream value is
 * left out either way); the drift tests ask both ways again on a sample.
 */
export async function askFramesAndStreams(dir: string, file: string): Promise<{ frames: FramesAnswer; streams: StreamsAnswer }> {
  const tshark = await tsharkFrames(join(dir, file), { tcpStreams: true });
  const frames = await framesAnswer(dir, file, tshark);
  const streams = new Map(tshark.frames.flatMap((frame) => (frame.streams ? [[frame.number, frame.streams] as const] : [])));
  return { frames, streams: { file, digest: frames.digest, streams } };
}

async function framesAnswer(dir: string, file: string, tshark: Awaited<ReturnType<typeof tsharkFrames>>): Promise<FramesAnswer> {
  const path = join(dir, file);
  const error = tshark.error?.replaceAll(`${dir}/`, '').replace(/\s+/g, ' ').trim();
  return {
    file,
    digest: fileDigest(path),
    frames: tshark.frames.length,
    ...(tshark.frames.length > 0 ? { firstEpoch: tshark.frames[0]!.epoch, lastEpoch: tshark.frames[tshark.frames.length - 1]!.epoch } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(error !== undefined && WIRESHARK_UNSUPPORTED_LINK_TYPE.test(error) ? { tcpdumpCount: await tcpdumpCount(path) } : {}),
  };
}

/** Asks tshark now (`-Y tcp`, as run-capture.ts does); undefined when it fails on the capture. */
export function askStreams(dir: string, file: string): StreamsAnswer | undefined {
  const path = join(dir, file);
  try {
    return { file, digest: fileDigest(path), streams: tsharkStreams(path) };
  } catch {
    return undefined;
  }
}

const FRAMES_COLUMNS = ['file', 'sha256/16', 'frames', 'first frame.time_epoch', 'last frame.time_epoch', 'tcpdump count', 'tshark error'];

export function formatFramesAnswers(answers: readonly FramesAnswer[], header: readonly string[]): string {
  const rows = answers.map((a) => [a.file, a.digest, a.frames, a.firstEpoch ?? '', a.lastEpoch ?? '', a.tcpdumpCount ?? '', a.error ?? ''].join('\t'));
  return [...header.map((line) => `# ${line}`), FRAMES_COLUMNS.join('\t'), ...rows, ''].join('\n');
}

/** One line per capture: file, digest, then `frame:stream[,stream]` pairs separated by spaces. */
export function formatStreamsAnswers(answers: readonly StreamsAnswer[], header: readonly string[]): string {
  const rows = answers.map((a) => [a.file, a.digest, [...a.streams].map(([frame, streams]) => `${frame}:${streams.join(',')}`).join(' ')].join('\t'));
  return [...header.map((line) => `# ${line}`), ...rows, ''].join('\n');
}

const dataLines = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

/** The committed frame answers by file name (empty when none are committed). */
export function readFramesAnswers(): Map<string, FramesAnswer> {
  if (!existsSync(framesAnswersFile)) return new Map();
  const [, ...rows] = dataLines(readFileSync(framesAnswersFile, 'utf8'));
  return new Map(
    rows.map((row) => {
      const [file = '', digest = '', frames = '', firstEpoch = '', lastEpoch = '', count = '', error = ''] = row.split('\t');
      const answer: FramesAnswer = {
        file,
        digest,
        frames: Number(frames),
        ...(firstEpoch ? { firstEpoch } : {}),
        ...(lastEpoch ? { lastEpoch } : {}),
        ...(error ? { error } : {}),
        ...(count ? { tcpdumpCount: Number(count) } : {}),
      };
      return [file, answer];
    }),
  );
}

/** The committed tcp.stream answers by file name (an empty map: no TCP frame). */
export function readStreamsAnswers(): Map<string, StreamsAnswer> {
  if (!existsSync(streamsAnswersFile)) return new Map();
  return new Map(
    dataLines(gunzipSync(readFileSync(streamsAnswersFile)).toString('utf8')).map((row) => {
      const [file = '', digest = '', pairs = ''] = row.split('\t');
      const streams = new Map(
        pairs
          .split(' ')
          .filter(Boolean)
          .map((pair) => {
            const [frame = '', list = ''] = pair.split(':');
            return [Number(frame), list.split(',').map(Number)] as const;
          }),
      );
      return [file, { file, digest, streams }];
    }),
  );
}

/** `count` files spread evenly over the sorted list: the same sample on every run. */
export function driftSample(files: readonly string[], count: number): string[] {
  const sorted = [...files].sort();
  const step = Math.max(1, Math.floor(sorted.length / count));
  return sorted.filter((_, i) => i % step === 0).slice(0, count);
}

/** Lines naming the captures whose answers are missing, stale (other bytes) or left over; empty when all match. */
export function staleAnswers(dir: string, files: readonly string[], answers: ReadonlyMap<string, { readonly digest: string }>, required = files): string[] {
  const problems: string[] = [];
  for (const file of required) {
    const answer = answers.get(file);
    if (!answer) problems.push(`${file}: no recorded answer`);
    else if (answer.digest !== fileDigest(join(dir, file))) problems.push(`${file}: changed since its answer was recorded`);
  }
  const present = new Set(files);
  for (const file of answers.keys()) if (!present.has(file)) problems.push(`${file}: answer recorded, capture gone`);
  return problems;
}
