// openInput on a live stream (stdin `-`, a FIFO): its first bytes are sniffed without being lost, frames arrive as records do, bad and empty input are one-line input errors.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { readHarFile } from '../../src/sources/har-reader.js';
import { openInput, type InputFile } from '../../src/sources/input-file.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { repoRoot } from '../helpers/cli.js';
import { collectingSink } from './capture-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'stdin-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const capture = (name: string): Buffer => readFileSync(join(repoRoot, 'captures', name));

/** A stream that gives `bytes` `size` bytes at a time, as a slow pipe does. */
function trickle(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return Readable.from(pieces);
}

async function framesOf(input: string | InputFile): Promise<number[]> {
  const sink = collectingSink();
  await readPacketFile(input, sink);
  return sink.frames.map((frame) => frame.frameNumber);
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('standard input as a capture', () => {
  it.each([
    ['sample-sfb-exchange.pcap', 1],
    ['sample-sfb-exchange.pcapng', 7],
    ['sample-sfb-exchange.pcap.gz', 5],
  ])('%s given %d byte(s) at a time gives the frames the file gives', async (name, pieceSize) => {
    const input = await openInput('-', undefined, { stdin: trickle(capture(name), pieceSize) });
    expect(input.live).toBe(true);
    expect(input.path).toBe('-');
    const fromFile = await framesOf(join(repoRoot, 'captures', name));
    expect(fromFile.length).toBeGreaterThan(10);
    expect(await framesOf(input)).toEqual(fromFile);
  });

  it('hands each frame on once its record has arrived, while the writer still writes', async () => {
    const stdin = new PassThrough();
    const bytes = capture('s2s-good.pcap');
    const sink = collectingSink();
    stdin.write(bytes.subarray(0, 210));
    const input = await openInput('-', undefined, { stdin });
    const reading = readPacketFile(input, sink);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 24 bytes of file header, frames 1 and 2 (16 + 74 bytes each) whole, frame 3 begun.
    expect(sink.frames.map((frame) => frame.frameNumber)).toEqual([1, 2]);
    stdin.end(bytes.subarray(210));
    await reading;
    expect(sink.frames).toHaveLength(12);
  });

  it('stops at once when the signal is aborted, though the writer keeps the pipe open', async () => {
    const stdin = new PassThrough();
    stdin.write(capture('s2s-good.pcap'));
    const input = await openInput('-', undefined, { stdin });
    const stop = new AbortController();
    const reading = readPacketFile(input, collectingSink(), { signal: stop.signal });
    setTimeout(() => stop.abort(new Error('stopped')), 20);
    await expect(reading).rejects.toThrow('stopped');
    expect(stdin.destroyed).toBe(true);
  });

  it('reads a HAR whole from stdin', async () => {
    const input = await openInput('-', undefined, { stdin: trickle(capture('s2s-good.masked.har'), 1000) });
    const exchanges: unknown[] = [];
    await readHarFile(input, (ex) => exchanges.push(ex), () => undefined);
    expect(exchanges).toHaveLength(2);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'empty-file', '-: is empty: nothing was written to it'],
    ['text', Buffer.from('hello, this is text\n'), 'unknown-format', '-: not a pcap, pcapng or gzip file: no packet capture magic number'],
    ['gzip text', gzipSync('plain text, gzipped, and longer than the four bytes of a magic number'), 'unknown-format', '-: gzip-compressed, but inside not a pcap, pcapng or gzip file: no packet capture magic number'],
  ])('%s on stdin is one input error', async (_what, bytes, code, line) => {
    const error = await inputError(openInput('-', undefined, { stdin: Readable.from(bytes.length > 0 ? [bytes] : []) }).then((input) => readPacketFile(input, collectingSink())));
    expect(error.code).toBe(code);
    expect(error.oneLine()).toBe(line);
  });

  it('named twice (`scan - -`), the second finds it used up: empty, not a hang', async () => {
    const stdin = new PassThrough();
    stdin.end(capture('s2s-good.pcap'));
    await framesOf(await openInput('-', undefined, { stdin }));
    const error = await inputError(openInput('-', undefined, { stdin }));
    expect(error.code).toBe('empty-file');
  });

  it('refuses a terminal on stdin', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    const error = await inputError(openInput('-', undefined, { stdin: terminal }));
    expect(error.oneLine()).toBe('-: is a terminal, not a capture file: pipe one in (tcpdump -U -w - … | oauth-inspect scan -)');
  });
});

describe('a FIFO path as a capture', () => {
  it('is read as it is written, not refused for its size of 0', async () => {
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.end(capture('sample-sfb-exchange.pcapng'));
    const input = await openInput(fifo);
    expect(input.live).toBe(true);
    expect(input.format).toBe('pcapng');
    expect(await framesOf(input)).toEqual(await framesOf(join(repoRoot, 'captures/sample-sfb-exchange.pcapng')));
  });

  it('with nothing written to it is empty, one input error', async () => {
    const fifo = join(dir, 'empty.fifo');
    execFileSync('mkfifo', [fifo]);
    createWriteStream(fifo).end();
    const error = await inputError(openInput(fifo));
    expect(error.oneLine()).toBe(`${fifo}: is empty: nothing was written to it`);
  });
});
