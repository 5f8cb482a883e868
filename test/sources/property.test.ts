// Property: a capture cut anywhere and with random bits flipped is read without throw or hang.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { packet } from '../helpers/packets.js';
import { pcapFile, pcapngBlocks } from '../helpers/pcap-writer.js';
import { collectingSink, tcpdumpCorpusDir } from './capture-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'sources-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const le = pcapngBlocks(true);
const built: Record<string, Buffer> = {
  'built.pcap': pcapFile(Array.from({ length: 20 }, (_, i) => ({ sec: 1_700_000_000 + i, fraction: i, data: packet(i, 40 + i * 9) }))),
  'built.pcapng': Buffer.concat([
    le.sectionHeader(),
    le.interface({ tsresol: 9 }),
    le.decryptionSecrets(0x544c534b, Buffer.from('CLIENT_RANDOM aa bb\n')),
    ...Array.from({ length: 10 }, (_, i) => le.enhancedPacket(0, BigInt(i) * 1_000_000_000n, packet(i, 50 + i))),
    le.simplePacket(packet(99)),
  ]),
};
built['built.pcap.gz'] = gzipSync(built['built.pcap']!);
const corpusSamples = ['msnlb2.pcapng', 'mpls-ldp-hello.pcap', 'ntp.pcap']
  .map((name) => join(tcpdumpCorpusDir, name))
  .filter((path) => existsSync(path));
const captures: Buffer[] = [...Object.values(built), ...corpusSamples.map((path) => readFileSync(path))];

/** A capture, a cut point (as a fraction of its length) and bit positions to flip. */
const mutation = fc.record({
  capture: fc.integer({ min: 0, max: captures.length - 1 }),
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
  flips: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 8 }),
});

const TERMINATION_MS = 5_000;

describe('damaged captures', () => {
  it('never throw (except InputError when nothing capture-like is left) and always terminate', { timeout: 120_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async ({ capture, cut, flips }) => {
        const original = captures[capture]!;
        const bytes = Buffer.from(original.subarray(0, Math.round(original.length * cut)));
        for (const flip of flips) {
          const bit = Math.floor(flip * bytes.length * 8);
          if (bytes.length > 0) bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
        const path = join(dir, `case-${run++}`);
        writeFileSync(path, bytes);
        const sink = collectingSink();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), TERMINATION_MS)));
        const outcome = await Promise.race([readPacketFile(path, sink).then(() => 'done' as const, (error: unknown) => error), timeout]);
        clearTimeout(timer);
        expect(outcome).not.toBe('hang');
        if (outcome !== 'done') {
          expect(outcome).toBeInstanceOf(InputError);
          expect(['unknown-format', 'empty-file']).toContain((outcome as InputError).code);
        }
        expect(sink.frames.every((f, i) => f.frameNumber > (sink.frames[i - 1]?.frameNumber ?? 0))).toBe(true);
        rmSync(path);
      }),
      { numRuns: 300, seed: 20_240_611 },
    );
  });
});
