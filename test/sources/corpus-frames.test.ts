// Every tcpdump corpus capture read without throw or hang; frame counts and times agree with tshark's recorded answers.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { askFrames, driftSample, readFramesAnswers, RECORD_COMMAND, staleAnswers, type FramesAnswer } from '../helpers/corpus-answers.js';
import { collectingSink, corpusAvailable, epochString, mapLimited, sharedCorpusDir, tcpdumpCorpusDir } from './capture-oracle.js';

const PER_FILE_MS = 5_000;
/** Captures whose tshark answer is asked again on every run, to catch a tshark that answers differently now. */
const DRIFT_SAMPLE_SIZE = 20;

/**
 * Files whose sub-second field is out of range (µs >= 10^6, ns >= 10^9). Wireshark multiplies
 * it into a 32-bit nanosecond field and shows the overflow; we carry the excess into seconds
 * (and report a bad-timestamp anomaly), so first/last frame times are not compared here.
 */
const INVALID_TIMESTAMP_FILES: ReadonlySet<string> = new Set([
  'atm-oam-loopback-print-overrun.pcap',
  'timestamp_invalid_micro.pcap',
  'timestamp_invalid_nano.pcap',
]);

if (!corpusAvailable) console.warn(`shared corpus not found at ${sharedCorpusDir}`);

/** How our reading of `name` differs from tshark's answer (tcpdump's count where tshark refuses the link type). */
async function disagreement(name: string, answer: FramesAnswer): Promise<string | undefined> {
  const sink = collectingSink();
  const started = Date.now();
  const problems: string[] = [];
  await readPacketFile(join(tcpdumpCorpusDir, name), sink).catch((error: unknown) => problems.push(`threw ${String(error)}`));
  const elapsed = Date.now() - started;
  if (elapsed > PER_FILE_MS) problems.push(`took ${elapsed} ms`);
  const ours = sink.frames;
  if (ours.some((frame, i) => frame.frameNumber !== i + 1)) problems.push('frame numbers are not 1..n');
  if (answer.tcpdumpCount !== undefined) {
    if (ours.length !== answer.tcpdumpCount) problems.push(`${ours.length} frames, tcpdump ${answer.tcpdumpCount} (tshark: ${answer.error})`);
  } else if (ours.length !== answer.frames) {
    // When tshark stops on an error, it printed the frames before it: ours must be those.
    problems.push(`${ours.length} frames, tshark ${answer.frames}${answer.error ? ` (tshark: ${answer.error})` : ''}`);
  } else if (ours.length > 0 && !INVALID_TIMESTAMP_FILES.has(name)) {
    const first = epochString(ours[0]!.time);
    const last = epochString(ours[ours.length - 1]!.time);
    if (first !== answer.firstEpoch) problems.push(`frame 1 time ${first}, tshark ${answer.firstEpoch}`);
    if (last !== answer.lastEpoch) problems.push(`frame ${ours.length} time ${last}, tshark ${answer.lastEpoch}`);
  }
  return problems.length > 0 ? `${name}: ${problems.join('; ')}` : undefined;
}

describe('tcpdump corpus', () => {
  it('is present (required in CI only)', () => {
    if (corpusAvailable) expect(readdirSync(tcpdumpCorpusDir).length).toBeGreaterThan(800);
    else expect(process.env.CI, `shared corpus not found at ${sharedCorpusDir}`).toBeUndefined();
  });
  if (!corpusAvailable) return;

  const files = readdirSync(tcpdumpCorpusDir).sort();
  const answers = readFramesAnswers();

  it(`has tshark's answer recorded for every capture, for its present bytes (else: ${RECORD_COMMAND})`, () => {
    expect(staleAnswers(tcpdumpCorpusDir, files, answers)).toEqual([]);
  });

  it("reads every capture like tshark does (its recorded answers)", async () => {
    const disagreements = await mapLimited(files, 2, async (name) => {
      const answer = answers.get(name);
      return answer ? disagreement(name, answer) : `${name}: no recorded answer`;
    });
    expect(disagreements.filter((line) => line !== undefined)).toEqual([]);
  });

  it(`tshark still gives the recorded answers (${DRIFT_SAMPLE_SIZE} captures asked again)`, async () => {
    const sample = driftSample(files, DRIFT_SAMPLE_SIZE);
    const now = await mapLimited(sample, 2, (name) => askFrames(tcpdumpCorpusDir, name));
    expect(now).toEqual(sample.map((name) => answers.get(name)));
  });
});
