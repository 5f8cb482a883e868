// pcapng reading, checked against tshark on files built here: sections, interfaces, block kinds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { packet } from '../helpers/packets.js';
import { pcapngBlocks } from '../helpers/pcap-writer.js';
import { collectingSink, epochString, runTool, tsharkFrames } from './capture-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'pcapng-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCapture(name: string, blocks: readonly Buffer[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(blocks));
  return path;
}

const le = pcapngBlocks(true);
const be = pcapngBlocks(false);
const TLS_KEY_LOG = 0x544c534b;

/**
 * Two sections (little- then big-endian). Section 1: a µs interface, a ns interface with an
 * if_tsoffset, a 2^-20 s interface; EPB, PB, a custom block and a secrets block. Section 2
 * restarts interfaces: one Raw IP interface with snap length 40, an EPB and an SPB.
 */
function mixedCapture(): Buffer[] {
  return [
    le.sectionHeader(),
    le.interface({ linkType: 1 }),
    le.interface({ linkType: 1, tsresol: 9, tsoffset: 3600n }),
    le.interface({ linkType: 1, tsresol: 0x80 | 20 }),
    le.enhancedPacket(0, 1_700_000_000_123_456n, packet(1)),
    le.enhancedPacket(1, 1_700_000_001_987_654_321n, packet(2, 70)),
    le.block(0x00000bad, Buffer.alloc(8)),
    le.decryptionSecrets(TLS_KEY_LOG, Buffer.from('CLIENT_RANDOM 00 11\n')),
    le.enhancedPacket(2, (1_700_000_002n << 20n) + 524_288n, packet(3)),
    le.obsoletePacket(0, 1_700_000_003_000_001n, packet(4)),
    be.sectionHeader(),
    be.interface({ linkType: 101, snapLength: 40 }),
    be.enhancedPacket(0, 1_700_000_004_000_000n, packet(5, 40)),
    be.simplePacket(packet(6, 60).subarray(0, 40), 60),
  ];
}

describe('pcapng', () => {
  it('reads sections, interfaces and packet blocks as tshark does', async () => {
    const path = writeCapture('mixed.pcapng', mixedCapture());
    const sink = collectingSink(true);
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toBeUndefined();
    expect(summary).toMatchObject({ format: 'pcapng', frames: 6, damaged: false });
    // Wireshark numbers the custom block as frame 3 (a record without time); so do we, with no frame.
    expect(tshark.frames[2]).toEqual({ number: 3, epoch: '' });
    const tsharkPackets = tshark.frames.filter((f) => f.number !== 3);
    expect(sink.frames.map((f) => f.frameNumber)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(sink.frames.map((f) => f.frameNumber)).toEqual(tsharkPackets.map((f) => f.number));
    // The SPB has no timestamp; tshark shows it with the previous frame's time, we leave it 0.
    expect(sink.frames.slice(0, 5).map((f) => epochString(f.time))).toEqual(tsharkPackets.slice(0, 5).map((f) => f.epoch));
    expect(sink.frames[5]?.time).toEqual({ sec: 0, nsec: 0 });
    expect(sink.frames.map((f) => [f.interfaceId, f.linkType, f.length])).toEqual([
      [0, 1, 60],
      [1, 1, 70],
      [2, 1, 60],
      [0, 1, 60],
      [0, 101, 40],
      [0, 101, 40],
    ]);
    expect(sink.frames[5]?.originalLength).toBe(60);
    expect(sink.frames[1]?.data).toEqual(packet(2, 70));
    expect(sink.secretBlocks).toEqual([{ secretsType: TLS_KEY_LOG, data: Buffer.from('CLIENT_RANDOM 00 11\n'), beforeFrame: 4 }]);
    expect(sink.anomalies).toEqual([]);
  });

  it('agrees with tshark on interface ids and captured lengths', async () => {
    const path = writeCapture('fields.pcapng', mixedCapture());
    const run = await runTool('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.interface_id', '-e', 'frame.cap_len', '-e', 'frame.len']);
    const sink = collectingSink();
    await readPacketFile(path, sink);
    const ours = sink.frames.map((f) => `${f.interfaceId}\t${f.length}\t${f.originalLength}`);
    const customBlockLine = '\t4\t4';
    expect(ours).toEqual(run.stdout.trim().split('\n').filter((line) => line !== customBlockLine));
  });

  it('skips a packet on an interface its section does not describe, and goes on', async () => {
    const path = writeCapture('bad-interface.pcapng', [
      le.sectionHeader(),
      le.interface(),
      le.enhancedPacket(0, 1n, packet(1)),
      le.enhancedPacket(7, 2n, packet(2)),
      le.enhancedPacket(0, 3n, packet(3)),
    ]);
    const sink = collectingSink(true);
    const summary = await readPacketFile(path, sink);
    expect(summary).toMatchObject({ frames: 2, damaged: true });
    expect(sink.frames.map((f) => [f.frameNumber, f.data[20]])).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(sink.anomalies).toEqual([expect.objectContaining({ code: 'unknown-interface', offset: 28 + 20 + 92 })]);
  });

  it('stops at a block whose trailing length disagrees, after the frames before it (as tshark)', async () => {
    const blocks = [le.sectionHeader(), le.interface(), le.enhancedPacket(0, 1n, packet(1)), le.enhancedPacket(0, 2n, packet(2)), le.enhancedPacket(0, 3n, packet(3))];
    const broken = blocks[3]!;
    broken.writeUInt32LE(broken.length + 4, broken.length - 4);
    const path = writeCapture('bad-trailer.pcapng', blocks);
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toBeDefined();
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(summary).toMatchObject({ frames: 1, damaged: true });
    expect(sink.anomalies.map((a) => [a.code, a.offset])).toEqual([['bad-block', 28 + 20 + 92]]);
  });

  it.each([
    ['not a multiple of 4', 98],
    ['below the minimum', 8],
    ['absurdly large', 0x7fffffff],
  ])('stops at a block length %s, after the frames before it (as tshark)', async (label, length) => {
    const blocks = [le.sectionHeader(), le.interface(), le.enhancedPacket(0, 1n, packet(1)), le.enhancedPacket(0, 2n, packet(2))];
    blocks[3]!.writeUInt32LE(length, 4);
    const path = writeCapture(`bad-length-${length}.pcapng`, blocks);
    const sink = collectingSink();
    await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error, label).toBeDefined();
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(sink.anomalies.map((a) => a.code)).toEqual(['bad-block']);
  });

  it('stops at a block cut by end of file, reporting where', async () => {
    const blocks = [le.sectionHeader(), le.interface(), le.enhancedPacket(0, 1n, packet(1)), le.enhancedPacket(0, 2n, packet(2))];
    const whole = Buffer.concat(blocks);
    const path = join(dir, 'cut.pcapng');
    writeFileSync(path, whole.subarray(0, whole.length - 30));
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toMatch(/cut short/);
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(summary.damaged).toBe(true);
    expect(sink.anomalies).toEqual([expect.objectContaining({ code: 'truncated-record', offset: 28 + 20 + 92 })]);
  });
});
