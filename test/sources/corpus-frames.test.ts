// Every tcpdump corpus capture read without throw or hang; frame counts and times agree with tshark.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacketFile } from '../../src/sources/packet-file.js';
import {
  collectingSink,
  corpusAvailable,
  epochString,
  mapLimited,
  sharedCorpusDir,
  tcpdumpCorpusDir,
  tcpdumpCount,
  tsharkFrames,
} from './capture-oracle.js';

/** Wireshark 4.0 refuses these link types at open; tcpdump (libpcap) counts their frames. */
const WIRESHARK_UNSUPPORTED_LINK_TYPE = /network type \d+ unknown or unsupported/;
const PER_FILE_MS = 5_000;

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

describe('tcpdump corpus', () => {
  it('is present (required in CI only)', () => {
    if (corpusAvailable) expect(readdirSync(tcpdumpCorpusDir).length).toBeGreaterThan(800);
    else expect(process.env.CI, `shared corpus not found at ${sharedCorpusDir}`).toBeUndefined();
  });

  it.runIf(corpusAvailable)('reads every capture like tshark does', { timeout: 20 * 60_000 }, async () => {
    const files = readdirSync(tcpdumpCorpusDir).sort();
    const disagreements = await mapLimited(files, 2, async (name) => {
      const path = join(tcpdumpCorpusDir, name);
      const sink = collectingSink();
      const started = Date.now();
      const problems: string[] = [];
      await readPacketFile(path, sink).catch((error: unknown) => problems.push(`threw ${String(error)}`));
      const elapsed = Date.now() - started;
      if (elapsed > PER_FILE_MS) problems.push(`took ${elapsed} ms`);
      const ours = sink.frames;
      if (ours.some((frame, i) => frame.frameNumber !== i + 1)) problems.push('frame numbers are not 1..n');
      const tshark = await tsharkFrames(path);
      if (tshark.error !== undefined && WIRESHARK_UNSUPPORTED_LINK_TYPE.test(tshark.error)) {
        const count = await tcpdumpCount(path);
        if (ours.length !== count) problems.push(`${ours.length} frames, tcpdump ${count} (tshark: ${tshark.error})`);
        return problems.length > 0 ? `${name}: ${problems.join('; ')}` : undefined;
      }
      // When tshark stops on an error, it printed the frames before it: ours must be those.
      if (ours.length !== tshark.frames.length) {
        problems.push(`${ours.length} frames, tshark ${tshark.frames.length}${tshark.error ? ` (tshark: ${tshark.error})` : ''}`);
      } else if (ours.length > 0 && !INVALID_TIMESTAMP_FILES.has(name)) {
        for (const index of [0, ours.length - 1]) {
          const mine = epochString(ours[index]!.time);
          const theirs = tshark.frames[index]!.epoch;
          if (mine !== theirs) problems.push(`frame ${index + 1} time ${mine}, tshark ${theirs}`);
        }
      }
      return problems.length > 0 ? `${name}: ${problems.join('; ')}` : undefined;
    });
    expect(disagreements.filter((line) => line !== undefined)).toEqual([]);
  });
});
