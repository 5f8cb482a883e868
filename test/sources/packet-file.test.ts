// readPacketFile: format by magic, gzip on the fly, input errors, and chunk-boundary handling.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { PcapngParser } from '../../src/sources/pcapng-reader.js';
import { PcapParser } from '../../src/sources/pcap-reader.js';
import { ChunkFeeder } from '../../src/sources/record-stream.js';
import { packet } from '../helpers/packets.js';
import { pcapFile, pcapngBlocks } from '../helpers/pcap-writer.js';
import { collectingSink, tsharkFrames } from './capture-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'packet-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** 300 frames of growing size, so records straddle every chunk boundary somewhere. */
const manyFrames = pcapFile(Array.from({ length: 300 }, (_, i) => ({ sec: 1_700_000_000, fraction: i, data: packet(i, 40 + ((i * 37) % 1400)) })));

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('readPacketFile input errors', () => {
  it.each([
    ['not-found', () => join(dir, 'missing.pcap'), 'no such file'],
    ['is-directory', () => (mkdirSync(join(dir, 'a-dir'), { recursive: true }), join(dir, 'a-dir')), 'is a directory, not a capture file'],
    ['empty-file', () => writeFile('empty.pcap', ''), 'is empty'],
    ['unknown-format', () => writeFile('notes.pcap', 'hello, this is text\n'), 'not a pcap, pcapng or gzip file: no packet capture magic number'],
    ['unknown-format', () => writeFile('capture.pcap', '\ufeff  {"log": {}}'), 'JSON (a HAR file?): no packet capture magic number'],
    ['unknown-format', () => writeFile('text.gz', gzipSync('plain text, gzipped')), 'gzip-compressed, but inside not a pcap, pcapng or gzip file: no packet capture magic number'],
  ])('%s: %s', async (code, makePath, message) => {
    const path = makePath();
    const error = await rejection(readPacketFile(path, collectingSink()));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.oneLine()).toBe(`${path}: ${message}`);
  });
});

describe('readPacketFile', () => {
  it('reads a gzip-compressed capture like the plain one', async () => {
    const plain = collectingSink(true);
    const zipped = collectingSink(true);
    const plainSummary = await readPacketFile(writeFile('many.pcap', manyFrames), plain);
    const zippedSummary = await readPacketFile(writeFile('many.pcap.gz', gzipSync(manyFrames)), zipped);
    expect(zipped.frames).toEqual(plain.frames);
    expect(zippedSummary).toEqual({ ...plainSummary, gzip: true });
    expect(plainSummary).toEqual({ format: 'pcap', gzip: false, frames: 300, bytes: manyFrames.length, damaged: false });
  });

  it('delivers the frames before a cut in the gzip stream, with a truncated-gzip anomaly', async () => {
    const zipped = gzipSync(manyFrames);
    const path = writeFile('cut.pcap.gz', zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const sink = collectingSink();
    const summary = await readPacketFile(path, sink);
    expect(summary.damaged).toBe(true);
    expect(sink.frames.length).toBeGreaterThan(100);
    expect(sink.frames.length).toBeLessThan(300);
    expect(sink.frames.map((f) => f.frameNumber)).toEqual(sink.frames.map((_, i) => i + 1));
    const codes = sink.anomalies.map((a) => a.code);
    expect(codes).toContain('truncated-gzip');
    // tshark reads the same cut gzip file and stops at the same frame.
    const tshark = await tsharkFrames(path);
    expect(tshark.error).toBeDefined();
    expect(sink.frames).toHaveLength(tshark.frames.length);
  });

  it.each([
    ['CRC-32', 8, 'incorrect data check'],
    ['length', 4, 'incorrect length check'],
  ])('reads every frame of a gzip file damaged only in its %s trailer field, with a gzip-bad-trailer anomaly', async (_field, fromEnd, reason) => {
    const damaged = Buffer.from(gzipSync(manyFrames));
    damaged[damaged.length - fromEnd] ^= 0xff;
    const plain = collectingSink(true);
    await readPacketFile(writeFile('whole.pcap', manyFrames), plain);
    const sink = collectingSink(true);
    const summary = await readPacketFile(writeFile(`bad-trailer-${fromEnd}.pcap.gz`, damaged), sink);
    expect(sink.frames).toEqual(plain.frames);
    expect(summary).toEqual({ format: 'pcap', gzip: true, frames: 300, bytes: manyFrames.length, damaged: true });
    expect(sink.anomalies.map((a) => [a.code, a.severity])).toEqual([['gzip-bad-trailer', 'warning']]);
    expect(sink.anomalies[0]!.message).toContain(reason);
  });

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(readPacketFile(writeFile('abort.pcap', manyFrames), collectingSink(), { signal: controller.signal })).rejects.toThrow('stop now');
  });
});

describe('ChunkFeeder', () => {
  const le = pcapngBlocks(true);
  const pcapng = Buffer.concat([
    le.sectionHeader(),
    le.interface(),
    ...Array.from({ length: 50 }, (_, i) => le.enhancedPacket(0, BigInt(i), packet(i, 30 + i * 7))),
  ]);

  function readInChunks(bytes: Buffer, chunkSize: number, kind: 'pcap' | 'pcapng') {
    const sink = collectingSink(true);
    const parser = kind === 'pcap' ? new PcapParser(sink) : new PcapngParser(sink);
    const feeder = new ChunkFeeder(parser);
    for (let at = 0; at < bytes.length; at += chunkSize) feeder.push(bytes.subarray(at, at + chunkSize));
    feeder.finish();
    return { frames: sink.frames, anomalies: sink.anomalies };
  }

  it.each([1, 2, 3, 7, 16, 17, 100, 4096])('gives the same frames whatever the chunk size (%i)', (chunkSize) => {
    const whole = readInChunks(manyFrames, manyFrames.length, 'pcap');
    expect(readInChunks(manyFrames, chunkSize, 'pcap')).toEqual(whole);
    const wholeNg = readInChunks(pcapng, pcapng.length, 'pcapng');
    expect(wholeNg.frames).toHaveLength(50);
    expect(readInChunks(pcapng, chunkSize, 'pcapng')).toEqual(wholeNg);
  });
});
