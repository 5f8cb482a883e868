// Classic pcap reading, checked against tshark on files built here: byte orders, ns, damage.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { packet } from '../helpers/packets.js';
import { pcapFile, type PcapOptions, type PcapRecord } from '../helpers/pcap-writer.js';
import { collectingSink, epochString, tsharkFrames } from './capture-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'pcap-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCapture(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const records = (nanoseconds: boolean): PcapRecord[] =>
  [0, 1, 2, 3].map((i) => ({
    sec: 1_700_000_000 + i,
    fraction: nanoseconds ? 123_456_789 + i : 654_321 + i,
    data: packet(i, 60 + i * 13),
    originalLength: 1500,
  }));

describe('classic pcap', () => {
  const variants: Array<[string, PcapOptions]> = [
    ['little-endian µs', { littleEndian: true }],
    ['big-endian µs', { littleEndian: false }],
    ['little-endian ns', { littleEndian: true, nanoseconds: true }],
    ['big-endian ns', { littleEndian: false, nanoseconds: true }],
  ];
  it.each(variants)('%s: frames, times and bytes as tshark reads them', async (label, options) => {
    const written = records(options.nanoseconds ?? false);
    const path = writeCapture(`${label.replace(/\W+/g, '-')}.pcap`, pcapFile(written, options));
    const sink = collectingSink(true);
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toBeUndefined();
    expect(summary).toMatchObject({ format: 'pcap', gzip: false, frames: 4, damaged: false });
    expect(sink.frames.map((f) => epochString(f.time))).toEqual(tshark.frames.map((f) => f.epoch));
    expect(sink.frames.map((f) => f.frameNumber)).toEqual(tshark.frames.map((f) => f.number));
    expect(sink.frames.map((f) => f.data)).toEqual(written.map((r) => r.data));
    expect(sink.frames.every((f) => f.originalLength === 1500 && f.linkType === 1 && f.interfaceId === 0)).toBe(true);
    expect(sink.anomalies).toEqual([]);
  });

  it('masks FCS bits out of the link type (LT_LINKTYPE)', async () => {
    const path = writeCapture('fcs.pcap', pcapFile(records(false), { linkType: 0x14000000 | 1 }));
    const sink = collectingSink();
    await readPacketFile(path, sink);
    expect(sink.frames.map((f) => f.linkType)).toEqual([1, 1, 1, 1]);
  });

  it('reads pcap 2.2 files, whose record header has the two lengths the other way round', async () => {
    const written = records(false).map((r) => ({ ...r, originalLength: r.data.length }));
    const bytes = pcapFile(written, { versionMinor: 2 });
    // Swap incl_len/orig_len in each record as pre-2.3 writers did, with orig_len 1500.
    let pos = 24;
    for (const r of written) {
      bytes.writeUInt32LE(1500, pos + 8);
      bytes.writeUInt32LE(r.data.length, pos + 12);
      pos += 16 + r.data.length;
    }
    const path = writeCapture('v22.pcap', bytes);
    const sink = collectingSink(true);
    await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(sink.frames.map((f) => [f.length, f.originalLength])).toEqual(written.map((r) => [r.data.length, 1500]));
  });

  it('stops at a record cut by end of file, like tshark, and says where', async () => {
    const full = pcapFile(records(false));
    const cutAt = full.length - 20;
    const path = writeCapture('cut.pcap', full.subarray(0, cutAt));
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toMatch(/cut short/);
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(summary.damaged).toBe(true);
    const recordOffset = 24 + [0, 1, 2].reduce((sum, i) => sum + 16 + 60 + i * 13, 0);
    expect(sink.anomalies).toEqual([
      expect.objectContaining({ code: 'truncated-record', severity: 'warning', frame: 4, offset: recordOffset, file: path }),
    ]);
  });

  it('stops at an absurd captured length (corrupt from there on), like tshark', async () => {
    // The damage is in record 5: within the first 3, Wireshark would start guessing at pre-2.4
    // vendor variants (ss990417, Nokia) instead, which this reader does not do.
    const written = [0, 1, 2, 3, 4, 5].map((i) => ({ sec: 1_700_000_000 + i, fraction: i, data: packet(i, 60 + i * 13) }));
    const bytes = pcapFile(written);
    const fifthRecord = 24 + [0, 1, 2, 3].reduce((sum, i) => sum + 16 + 60 + i * 13, 0);
    bytes.writeUInt32LE(0x00ffffff, fifthRecord + 8);
    const path = writeCapture('absurd.pcap', bytes);
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toMatch(/bigger than maximum of 262144/);
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(summary).toMatchObject({ frames: 4, damaged: true });
    expect(sink.anomalies).toEqual([expect.objectContaining({ code: 'bad-record', frame: 5, offset: fifthRecord })]);
  });

  it('keeps reading past a captured length above the snap length, as tshark does, and notes it once', async () => {
    const path = writeCapture('over-snap.pcap', pcapFile(records(false), { snapLength: 64 }));
    const sink = collectingSink();
    await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(sink.frames).toHaveLength(tshark.frames.length);
    expect(sink.anomalies.map((a) => [a.code, a.severity, a.frame])).toEqual([['caplen-over-snaplen', 'info', 2]]);
  });

  it('carries an out-of-range fraction into seconds and reports it once', async () => {
    const bad = records(false).map((r, i) => (i === 1 ? { ...r, fraction: 2_500_000 } : r));
    const path = writeCapture('bad-fraction.pcap', pcapFile(bad));
    const sink = collectingSink();
    await readPacketFile(path, sink);
    expect(sink.frames[1]?.time).toEqual({ sec: 1_700_000_003, nsec: 500_000_000 });
    expect(sink.anomalies.map((a) => [a.code, a.frame])).toEqual([['bad-timestamp', 2]]);
  });

  it('reports a file cut inside its header and delivers nothing', async () => {
    const path = writeCapture('header-cut.pcap', pcapFile([]).subarray(0, 10));
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    expect(summary).toMatchObject({ frames: 0, damaged: true });
    expect(sink.anomalies.map((a) => a.code)).toEqual(['truncated-header']);
  });

  it('refuses pcap versions before 2.0 with an anomaly, as tshark does', async () => {
    const bytes = pcapFile(records(false));
    bytes.writeUInt16LE(1, 4);
    const path = writeCapture('v1.pcap', bytes);
    const sink = collectingSink();
    await readPacketFile(path, sink);
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toMatch(/major version 1 unsupported/);
    expect(sink.frames).toHaveLength(0);
    expect(sink.anomalies.map((a) => a.code)).toEqual(['unsupported-version']);
  });
});
