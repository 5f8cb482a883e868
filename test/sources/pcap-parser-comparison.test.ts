// pcap-parser (npm) as an independent oracle on classic µs pcap, and where it falls short.
import { openSync, readSync, closeSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { packet } from '../helpers/packets.js';
import { pcapFile, pcapngBlocks } from '../helpers/pcap-writer.js';
import { collectingSink, corpusAvailable, tcpdumpCorpusDir } from './capture-oracle.js';

interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number };
}
interface PcapParserResult {
  packets: PcapParserPacket[];
  error?: string;
}

const pcapParser = createRequire(import.meta.url)('pcap-parser') as {
  parse(path: string): NodeJS.EventEmitter;
};

function parseWithPcapParser(path: string): Promise<PcapParserResult> {
  return new Promise((resolve) => {
    const result: PcapParserResult = { packets: [] };
    const parser = pcapParser.parse(path);
    parser.on('packet', (p: PcapParserPacket) => result.packets.push(p));
    parser.on('error', (e: Error) => (result.error = e.message));
    parser.on('end', () => resolve(result));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pcap-parser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** First 8 bytes: classic µs magic (either order) and version 2.4, all pcap-parser accepts. */
function isClassicMicrosecondPcap(path: string): boolean {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  const magic = head.readUInt32BE(0);
  if (magic === 0xd4c3b2a1) return head.readUInt16LE(4) === 2 && head.readUInt16LE(6) === 4;
  if (magic === 0xa1b2c3d4) return head.readUInt16BE(4) === 2 && head.readUInt16BE(6) === 4;
  return false;
}

describe('pcap-parser as an oracle', () => {
  it.runIf(corpusAvailable)('agrees on frame count and first-frame time for every classic µs corpus file', { timeout: 120_000 }, async () => {
    const files = readdirSync(tcpdumpCorpusDir)
      .sort()
      .map((name) => join(tcpdumpCorpusDir, name))
      .filter(isClassicMicrosecondPcap);
    expect(files.length).toBeGreaterThan(700);
    const disagreements: string[] = [];
    for (const path of files) {
      const theirs = await parseWithPcapParser(path);
      const ours = collectingSink();
      await readPacketFile(path, ours);
      const first = theirs.packets[0]?.header;
      const mine = ours.frames[0];
      const sameFirstTime = first === undefined || (mine?.time.sec === first.timestampSeconds && mine.time.nsec === first.timestampMicroseconds * 1000);
      if (theirs.error !== undefined || ours.frames.length !== theirs.packets.length || !sameFirstTime) {
        disagreements.push(`${path}: ours ${ours.frames.length}, pcap-parser ${theirs.packets.length} ${theirs.error ?? ''}`);
      }
    }
    // Out-of-range fractions are carried into seconds by us and left as they are by pcap-parser.
    expect(disagreements.filter((line) => !/timestamp_invalid_micro|atm-oam-loopback-print-overrun/.test(line))).toEqual([]);
  });
});

describe('where pcap-parser falls short (why we have our own reader)', () => {
  const frames = [0, 1, 2].map((i) => ({ sec: 1_700_000_000 + i, fraction: 5 + i, data: packet(i) }));

  it('rejects nanosecond pcap', async () => {
    const path = join(dir, 'ns.pcap');
    writeFileSync(path, pcapFile(frames, { nanoseconds: true }));
    expect((await parseWithPcapParser(path)).error).toBe('unknown magic number: 4d3cb2a1');
    const ours = collectingSink();
    await readPacketFile(path, ours);
    expect(ours.frames.map((f) => f.time)).toEqual(frames.map((f) => ({ sec: f.sec, nsec: f.fraction })));
  });

  it('rejects pcapng', async () => {
    const le = pcapngBlocks(true);
    const path = join(dir, 'capture.pcapng');
    writeFileSync(path, Buffer.concat([le.sectionHeader(), le.interface(), le.enhancedPacket(0, 1n, packet(1))]));
    expect((await parseWithPcapParser(path)).error).toBe('unknown magic number: 0a0d0d0a');
    const ours = collectingSink();
    await readPacketFile(path, ours);
    expect(ours.frames).toHaveLength(1);
  });

  it('stops silently on a truncated file, where we report where it was cut', async () => {
    const whole = pcapFile(frames);
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, whole.subarray(0, whole.length - 10));
    const theirs = await parseWithPcapParser(path);
    expect(theirs).toEqual({ packets: expect.any(Array) as unknown, error: undefined });
    expect(theirs.packets).toHaveLength(2);
    const ours = collectingSink();
    await readPacketFile(path, ours);
    expect(ours.frames).toHaveLength(2);
    expect(ours.anomalies.map((a) => [a.code, a.frame])).toEqual([['truncated-record', 3]]);
  });
});
