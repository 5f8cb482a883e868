// Http2FrameReader: frames across any chunking, DATA content streamed without its padding, limits and gaps.
import { describe, expect, it } from 'vitest';
import { FrameFlag, FrameType, Http2FrameReader, MAX_BUFFERED_PAYLOAD, type FrameHeader } from '../../src/http2/frame-reader.js';
import { frame } from '../../scripts/fixture-server/h2-wire.js';

function read(chunks: readonly Buffer[], gapAfter?: { chunk: number; missing: number }): string[] {
  const events: string[] = [];
  const name = (h: FrameHeader): string => `${h.type}/${h.flags}/${h.streamId}`;
  const reader = new Http2FrameReader({
    frame: (h, payload, where) => events.push(`frame ${name(h)} ${payload.toString('hex')} @${where.firstFrame}-${where.frame}`),
    data: (h, bytes) => events.push(`data ${h.streamId} ${bytes.toString()}`),
    dataGap: (h, missing) => events.push(`data-gap ${h.streamId} ${missing}`),
    dataEnd: (h, where) => events.push(`data-end ${name(h)} @${where.frame}`),
    lost: (reason, detail) => events.push(`lost ${reason}: ${detail}`),
  });
  chunks.forEach((chunk, i) => {
    reader.feed(chunk, i + 1, { sec: 0, nsec: 0 });
    if (gapAfter?.chunk === i) reader.gap(gapAfter.missing, i + 1, { sec: 0, nsec: 0 });
  });
  return events;
}

const padded = (streamId: number, content: string, padding: number, flags = 0): Buffer =>
  frame(FrameType.DATA, flags | FrameFlag.PADDED, streamId, Buffer.concat([Buffer.of(padding), Buffer.from(content), Buffer.alloc(padding)]));

describe('Http2FrameReader', () => {
  it('hands over whole frames with the capture frames of their first and last byte', () => {
    const bytes = Buffer.concat([frame(FrameType.PING, 0, 0, Buffer.alloc(8, 1)), frame(FrameType.WINDOW_UPDATE, 0, 3, Buffer.of(0, 0, 1, 0))]);
    expect(read([bytes.subarray(0, 4), bytes.subarray(4, 12), bytes.subarray(12)])).toEqual([
      'frame 6/0/0 0101010101010101 @1-3',
      'frame 8/0/3 00000100 @3-3',
    ]);
  });

  it('streams DATA content without its pad length and padding, also split inside them', () => {
    const bytes = Buffer.concat([padded(1, 'hello', 3), padded(1, 'world', 2, FrameFlag.END_STREAM)]);
    const everyByte = [...bytes].map((byte) => Buffer.of(byte));
    const events = read(everyByte);
    expect(events.filter((e) => e.startsWith('data ')).map((e) => e.slice(7)).join('')).toBe('helloworld');
    expect(events.filter((e) => !e.startsWith('data '))).toEqual([`data-end 0/8/1 @${15 + 3}`, `data-end 0/9/1 @${bytes.length}`]);
  });

  it('skips a gap inside DATA content or padding, and stops on a gap elsewhere', () => {
    const data = frame(FrameType.DATA, FrameFlag.END_STREAM, 1, Buffer.from('0123456789'));
    expect(read([data.subarray(0, 11), data.subarray(15)], { chunk: 0, missing: 4 })).toEqual(['data 1 01', 'data-gap 1 4', 'data 1 6789', 'data-end 0/1/1 @2']);
    expect(read([data.subarray(0, 5)], { chunk: 0, missing: 4 })).toEqual(['lost gap: 4 bytes missing: frames after them cannot be delimited']);
  });

  it('stops on padding longer than the frame, DATA on stream 0, and a payload over the bound', () => {
    expect(read([frame(FrameType.DATA, FrameFlag.PADDED, 1, Buffer.of(5, 0))])).toEqual(['lost malformed: DATA frame on stream 1 with 5 bytes of padding in a 2-byte payload']);
    expect(read([frame(FrameType.DATA, 0, 0, Buffer.from('x'))])).toEqual(['lost malformed: DATA frame on stream 0']);
    const header = Buffer.alloc(9);
    header.writeUIntBE(MAX_BUFFERED_PAYLOAD + 1, 0, 3);
    header[3] = FrameType.HEADERS;
    expect(read([header])).toEqual([`lost malformed: frame of type 1 with a ${MAX_BUFFERED_PAYLOAD + 1}-byte payload (over ${MAX_BUFFERED_PAYLOAD})`]);
  });
});
